"""`train_run`: the keyword-argument form of `keras_gan.run.train`, kept for older callers.

Every family trains through `keras_gan.run.train`; this function only maps its keyword
arguments onto a `RunConfig`.
"""

from __future__ import annotations

import os

from keras_gan.run import RunConfig, TrainResult, make_strategy, train
from keras_gan.run.config import STRATEGIES

__all__ = ["STRATEGIES", "TrainResult", "make_strategy", "train_run"]


def train_run(
    family: str,
    data: str,
    run_dir: str | os.PathLike,
    preset: str | None = None,
    model_kwargs: dict | None = None,
    style_images=(),
    eval_metrics=("frechet",),
    **settings,
) -> TrainResult:
    """Trains `family` on `data` into `run_dir`; `settings` are `RunConfig` fields.

    See `keras_gan.run.train` and `keras_gan.run.RunConfig`.
    """
    config = RunConfig(
        preset=preset,
        model_kwargs=dict(model_kwargs or {}),
        style_images=tuple(style_images),
        eval_metrics=eval_metrics,
        **settings,
    )
    return train(family, data, run_dir, config)
