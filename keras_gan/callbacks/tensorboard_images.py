"""Sends the sample sheets of a training run to TensorBoard, beside Keras's scalars."""

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image


class TensorBoardImages(keras.callbacks.Callback):
    """Writes the sheet a sample callback just saved as a TensorBoard image summary.

    List it after the sample callback (`SampleGrid` or `TranslationGrid`): at the end of
    an epoch it reads that callback's `last_path` and, when a new sheet was written,
    logs it under `tag` at step `epoch`, the step Keras's `TensorBoard` callback uses
    for epoch scalars, so pictures and curves line up.

    Args:
        sample_callback: a callback with a `last_path` attribute (the newest PNG).
        log_dir: TensorBoard log directory (Keras's `TensorBoard` writes `train/`
            and `validation/` under the same one; the images go to `samples/`).
        tag: the summary's name.
    """

    def __init__(self, sample_callback, log_dir, tag: str = "samples"):
        super().__init__()
        if not hasattr(sample_callback, "last_path"):
            raise ValueError(
                "`sample_callback` must have a `last_path` attribute (SampleGrid, "
                f"TranslationGrid). Received: {type(sample_callback).__name__}"
            )
        self.sample_callback = sample_callback
        self.log_dir = Path(log_dir)
        self.tag = tag
        self._writer = None
        self._written: Path | None = None

    def on_epoch_end(self, epoch, logs=None):
        path = self.sample_callback.last_path
        if path is None or path == self._written:
            return
        with Image.open(path) as picture:
            image = np.asarray(picture.convert("RGB"))
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(str(self.log_dir / "samples"))
        with self._writer.as_default():
            tf.summary.image(self.tag, image[None], step=epoch)
        self._writer.flush()
        self._written = path

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
