"""A sample sheet of an image-to-image model on fixed held-out examples, every epoch."""

from pathlib import Path

import keras
import numpy as np

from keras_gan.utils.image_grid import save_image_grid


class TranslationGrid(keras.callbacks.Callback):
    """Writes `DIR/epoch_0001.png`, ...: one row per example, input | output | target.

    For CycleGAN a row is input | translation | translated back.

    Args:
        directory: where the PNG files go.
        images_a, images_b: the examples, [N, H, W, C] in [-1, 1].
        every: write every `every` epochs.
        scale: enlarge small images by this factor.
    """

    def __init__(self, directory, images_a, images_b, every: int = 1, scale: int = 1):
        super().__init__()
        self.directory = Path(directory)
        self.images_a = np.asarray(images_a, "float32")
        self.images_b = np.asarray(images_b, "float32")
        self.every, self.scale = every, scale
        self.last_path: Path | None = None

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        rows = self.model.sample_rows(self.images_a, self.images_b)
        self.last_path = save_image_grid(
            rows,
            self.directory / f"epoch_{epoch + 1:04d}.png",
            self.model.sample_columns,
            self.scale,
        )
