"""What a family hands the run path: its training data, held-out data and sample examples."""

from __future__ import annotations

import dataclasses
from typing import Any

import tensorflow as tf


@dataclasses.dataclass
class RunData:
    """The data of one training run, built by a family's `run_data` from `--data`.

    Attributes:
        train: the training batches, repeated forever (the run sets `steps_per_epoch`).
        steps_per_epoch: steps of one epoch (`--steps`, or one pass over the data).
        held_out: what `held_out_scores` takes (held-out pairs, photos, ...), or None
            where the data has no held-out split.
        held_out_split: the split's name (`test`, `val`), or None.
        examples: the fixed inputs of the sample sheets, as `sample_callback` takes them.
        examples_per_epoch: training examples in one pass (files, pairs, crops).
        calibration: training data the run held back from `train` for the family's
            `finish_run` (e.g. photos a colorizer chooses its colour gain on), or None.
    """

    train: tf.data.Dataset
    steps_per_epoch: int
    held_out: Any = None
    held_out_split: str | None = None
    examples: Any = None
    examples_per_epoch: int = 0
    calibration: Any = None

    @classmethod
    def per_pass(
        cls,
        train: tf.data.Dataset,
        examples_per_epoch: int,
        config,
        held_out: Any = None,
        held_out_split: str | None = None,
        examples: Any = None,
        calibration: Any = None,
    ) -> RunData:
        """A run whose epoch is `--steps`, or one pass over `examples_per_epoch` examples."""
        return cls(
            calibration=calibration,
            train=train,
            steps_per_epoch=config.steps or max(1, examples_per_epoch // config.batch_size),
            held_out=held_out,
            held_out_split=held_out_split,
            examples=examples,
            examples_per_epoch=examples_per_epoch,
        )
