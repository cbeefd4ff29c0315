"""How Pix2Pix and CycleGAN runs read their data, compile and are judged on held-out data.

The data folder is paired (aligned A|B files, or `A/` + `B/`) or unpaired (`trainA/
trainB/`), split as `keras_gan.data.splits` defines; the optimizers follow the
reference's linear schedule; the run is judged on the held-out split, before and after
training.
"""

from __future__ import annotations

import math
import os

import numpy as np
import tensorflow as tf

from keras_gan.data import (
    paired_dataset,
    paired_examples,
    paired_files,
    unpaired_dataset,
    unpaired_examples,
)
from keras_gan.data.image_files import list_image_files
from keras_gan.data.splits import paired_splits, unpaired_splits
from keras_gan.models.adversarial_model import adam
from keras_gan.schedules import LinearDecay
from keras_gan.tasks.run_data import RunData

# Held-out examples are read into memory: at most this many files per split.
READ_LIMIT = 1024
HELD_OUT_LIMIT = 128
SAMPLES = 6


def spread(pair, limit: int):
    """At most `limit` examples evenly spaced over the set (crops of every photo)."""
    a, b = pair
    n = min(len(a), len(b))
    index = np.unique(np.linspace(0, n - 1, min(n, limit)).round().astype(int)) if n else []
    return a[index], b[index]


def paired_run_data(model, data: str, config) -> RunData:
    """Pix2Pix: training pairs of the `train` split, held-out pairs of `test` / `val`."""
    data = os.fspath(data)
    channels = (model.input_channels, model.output_channels)
    channels = channels if model.direction == "AtoB" else channels[::-1]
    size = model.image_size
    splits = paired_splits(data)
    train = paired_dataset(
        data,
        size,
        model.load_size,
        channels,
        config.batch_size,
        augment=True,
        seed=config.seed,
        split=splits.train,
    )
    held_out = None
    if splits.held_out:
        examples = paired_examples(data, size, channels, limit=READ_LIMIT, split=splits.held_out)
        held_out = spread(examples, HELD_OUT_LIMIT)
    samples = held_out or paired_examples(data, size, channels, limit=SAMPLES, split=splits.train)
    count = len(paired_files(data, splits.train))
    return RunData.per_pass(
        train.repeat(), count, config, held_out, splits.held_out, spread(samples, SAMPLES)
    )


def unpaired_run_data(model, data: str, config) -> RunData:
    """CycleGAN: `trainA/ trainB/` to train, `testA/ testB/` (or `val`) held out."""
    data = os.fspath(data)
    channels = (model.channels_a, model.channels_b)
    size = model.image_size
    splits = unpaired_splits(data)
    train = unpaired_dataset(
        data,
        "train",
        size,
        model.load_size,
        channels,
        config.batch_size,
        augment=True,
        seed=config.seed,
    )
    count = max(len(list_image_files(os.path.join(data, f"train{x}"))) for x in "AB")
    held_out = None
    if splits.held_out:
        examples = unpaired_examples(data, splits.held_out, size, channels, READ_LIMIT)
        held_out = spread(examples, HELD_OUT_LIMIT)
    samples = held_out or spread(unpaired_examples(data, "train", size, channels, READ_LIMIT), 6)
    return RunData.per_pass(
        train.repeat(), count, config, held_out, splits.held_out, spread(samples, SAMPLES)
    )


def linear_decay_optimizers(
    steps_per_epoch: int,
    epochs: int,
    n_epochs: int | None,
    n_epochs_decay: int | None,
    learning_rate: float = 2e-4,
):
    """Adam(lr, 0.5) pairs on the reference schedule; by default half the epochs decay."""
    if n_epochs is None and n_epochs_decay is None:
        n_epochs = math.ceil(epochs / 2)
    if n_epochs is None:
        n_epochs = max(0, epochs - n_epochs_decay)
    if n_epochs_decay is None:
        n_epochs_decay = max(0, epochs - n_epochs)
    return tuple(
        adam(LinearDecay(learning_rate, n_epochs, n_epochs_decay, steps_per_epoch))
        for _ in range(2)
    )


def held_out_logs(model, held_out, batch_size: int = 4) -> dict:
    """`model.evaluate` over held-out `(a, b)` examples, as a dict of floats."""
    a, b = held_out
    data = tf.data.Dataset.from_tensor_slices((a, b)).batch(batch_size)
    return {k: float(v) for k, v in model.evaluate(data, verbose=0, return_dict=True).items()}
