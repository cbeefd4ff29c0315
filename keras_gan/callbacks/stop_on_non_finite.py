"""Stops training at the first NaN or Inf loss, naming the loss and the step."""

import math
import sys

import keras


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Sets `model.stop_training` when a logged loss is NaN or infinite.

    The message (also kept in `self.message`) names the loss, the epoch and the
    step. Paired with `GANCheckpoint`, the last good checkpoint is kept.
    """

    def __init__(self):
        super().__init__()
        self.message: str | None = None
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            value = float(value)
            if not math.isfinite(value):
                self.message = (
                    f"Stopping: {name} is {value} at epoch {self._epoch + 1}, step {batch + 1}. "
                    "The last good checkpoint is kept."
                )
                print(self.message, file=sys.stderr)
                self.model.stop_training = True
                return
