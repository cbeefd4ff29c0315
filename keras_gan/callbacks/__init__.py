"""Training callbacks: sample grids, resumable checkpoints, non-finite loss guard."""

from keras_gan.callbacks.checkpoint import GANCheckpoint, load_checkpoint
from keras_gan.callbacks.sample_grid import SampleGrid
from keras_gan.callbacks.stop_on_non_finite import StopOnNonFiniteLoss

__all__ = ["GANCheckpoint", "SampleGrid", "StopOnNonFiniteLoss", "load_checkpoint"]
