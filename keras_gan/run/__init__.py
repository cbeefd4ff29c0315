"""The one run path: `train(FAMILY or PRESET, data, run_dir, RunConfig(...))`."""

from keras_gan.run.config import RunConfig
from keras_gan.run.trainer import TrainResult, make_strategy, train, worker_run_dir

__all__ = ["RunConfig", "TrainResult", "make_strategy", "train", "worker_run_dir"]
