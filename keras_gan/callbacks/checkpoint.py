"""Checkpoints that let a killed run continue where it stopped."""

import json
import math
import os
from pathlib import Path

import keras

CHECKPOINT_NAME = "last.keras"
STATE_NAME = "state.json"


class GANCheckpoint(keras.callbacks.Callback):
    """Saves the whole GAN (weights, both optimizers' state, EMA weights) each epoch.

    Writes `DIR/last.keras` and `DIR/state.json` (`{"epoch": N, "logs": ...}`)
    atomically: a crash while saving leaves the previous checkpoint intact. An
    epoch whose losses are not finite is never saved, so the last checkpoint is
    always a good one.
    """

    def __init__(self, directory):
        super().__init__()
        self.directory = Path(directory)

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: float(v) for k, v in (logs or {}).items()}
        if not all(math.isfinite(v) for v in logs.values()):
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp_model = self.directory / f".{CHECKPOINT_NAME}.tmp.keras"
        self.model.save(tmp_model)
        os.replace(tmp_model, self.directory / CHECKPOINT_NAME)
        tmp_state = self.directory / f".{STATE_NAME}.tmp"
        tmp_state.write_text(json.dumps({"epoch": epoch + 1, "logs": logs}, indent=2))
        os.replace(tmp_state, self.directory / STATE_NAME)


def load_checkpoint(directory) -> tuple[keras.Model, int]:
    """Returns `(model, epochs_done)` from a checkpoint directory.

    Call it inside the strategy scope the run will use, so the restored
    optimizers are built there.
    """
    directory = Path(directory)
    model_path, state_path = directory / CHECKPOINT_NAME, directory / STATE_NAME
    if not model_path.exists() or not state_path.exists():
        raise FileNotFoundError(f"No checkpoint to resume in {directory}.")
    state = json.loads(state_path.read_text())
    return keras.saving.load_model(model_path), int(state["epoch"])
