"""`--eval-every` for image-to-image families: the family's held-out score every n epochs."""

from __future__ import annotations

import keras


class HeldOutScores(keras.callbacks.Callback):
    """Adds `val_<metric>` (and `val_<metric>_baseline`, where the family has one) to the logs.

    The score is the model's own `held_out_scores(held_out)`: the figure its run is judged
    by (held-out L1 for Pix2Pix, PSNR against bicubic for super-resolution, ...).

    Args:
        held_out: the run's held-out data (`RunData.held_out`).
        metric: the name `held_out_scores` reports (for the log keys).
        every_n_epochs: score on epochs n, 2n, ...
    """

    def __init__(self, held_out, metric: str, every_n_epochs: int = 1):
        super().__init__()
        if int(every_n_epochs) < 1:
            raise ValueError(f"every_n_epochs must be >= 1. Received: {every_n_epochs}")
        self.held_out = held_out
        self.metric = metric
        self.every_n_epochs = int(every_n_epochs)

    @property
    def log_keys(self) -> list[str]:
        return [f"val_{self.metric}", f"val_{self.metric}_baseline"]

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs or logs is None:
            return
        scores = self.model.held_out_scores(self.held_out)
        logs[f"val_{self.metric}"] = scores["value"]
        if scores.get("baseline") is not None:
            logs[f"val_{self.metric}_baseline"] = scores["baseline"]
