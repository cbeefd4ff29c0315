"""The run's metrics.csv: Keras's CSVLogger with columns for scores that come every n epochs."""

import os

import keras


class RunMetricsLog(keras.callbacks.CSVLogger):
    """A `CSVLogger` whose columns include `expected_keys` from the first epoch on.

    `CSVLogger` fixes its columns at the end of the first epoch, so a value first logged
    later (a held-out score computed every n epochs, `QualityEvaluation`) would never
    reach the file. Epochs without such a value get `NA`, as Keras writes for validation
    values that are missing.

    Args:
        filename: the CSV file.
        append: append to an existing file (a resumed run) instead of replacing it.
        expected_keys: log keys that some epochs add.
    """

    def __init__(self, filename: str | os.PathLike, append: bool = False, expected_keys=()):
        super().__init__(str(filename), append=append)
        self.expected_keys = list(expected_keys)

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        for key in self.expected_keys:
            logs.setdefault(key, "NA")
        super().on_epoch_end(epoch, logs)
