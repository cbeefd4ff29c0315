"""Training callbacks: sample grids (also to TensorBoard), resumable checkpoints, non-finite loss guard."""

from keras_gan.callbacks.checkpoint import GANCheckpoint, load_checkpoint
from keras_gan.callbacks.quality_evaluation import QualityEvaluation
from keras_gan.callbacks.run_metrics_log import RunMetricsLog
from keras_gan.callbacks.sample_grid import SampleGrid
from keras_gan.callbacks.stop_on_non_finite import StopOnNonFiniteLoss
from keras_gan.callbacks.tensorboard_images import TensorBoardImages
from keras_gan.callbacks.translation_grid import TranslationGrid

__all__ = [
    "GANCheckpoint",
    "QualityEvaluation",
    "RunMetricsLog",
    "SampleGrid",
    "StopOnNonFiniteLoss",
    "TensorBoardImages",
    "TranslationGrid",
    "load_checkpoint",
]
