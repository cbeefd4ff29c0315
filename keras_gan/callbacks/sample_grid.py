"""A grid of samples from a fixed seed at the end of every epoch."""

from pathlib import Path

import keras

from keras_gan.utils.image_grid import save_image_grid


class SampleGrid(keras.callbacks.Callback):
    """Writes `DIR/epoch_0001.png`, ... from the same noise each epoch.

    Class-conditional models draw classes 0..K-1 across each row, so every column
    of the grid is one class.

    Args:
        directory: where the PNG files go.
        n: number of samples.
        seed: the seed of the noise, fixed so epochs can be compared.
        every: write every `every` epochs.
        scale: enlarge small images by this factor.
    """

    def __init__(self, directory, n: int = 64, seed: int = 0, every: int = 1, scale: int = 2):
        super().__init__()
        self.directory = Path(directory)
        self.n, self.seed, self.every, self.scale = n, seed, every, scale
        self.last_path: Path | None = None

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        images = self.model.generate(self.n, seed=self.seed)
        self.last_path = save_image_grid(
            images,
            self.directory / f"epoch_{epoch + 1:04d}.png",
            self.model.grid_columns(),
            self.scale,
        )
