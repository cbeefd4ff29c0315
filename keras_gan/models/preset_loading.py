"""`from_preset`: build a family from a named configuration or load a saved model.

Presets are plain data: a dict per family mapping `<family>_<dataset>_<size>`
to a description, the constructor's keyword arguments and, when trained weights
ship with the package, the path of the weights file relative to the family's
folder.
"""

import os
from pathlib import Path

import keras


def preset_weights_path(module_file: str, relative: str) -> Path:
    return Path(module_file).resolve().parent / relative


def load_preset(cls, preset: str, **overrides):
    """Returns a `cls` instance for a preset name or a `.keras` path."""
    if str(preset).endswith(".keras") or os.path.sep in str(preset):
        path = Path(preset)
        if not path.exists():
            raise FileNotFoundError(f"No saved model at {path}.")
        model = keras.saving.load_model(path)
        if not isinstance(model, cls):
            raise ValueError(f"{path} holds a {type(model).__name__}, not a {cls.__name__}.")
        return model
    presets = getattr(cls, "presets", {}) or {}
    if preset not in presets:
        raise ValueError(
            f"Unknown preset {preset!r} for {cls.__name__}. Available: {sorted(presets) or 'none'}."
        )
    entry = presets[preset]
    model = cls(**{**entry["config"], **overrides})
    weights = entry.get("weights")
    if weights:
        weights_path = preset_weights_path(entry["module_file"], weights)
        if not weights_path.exists():
            raise FileNotFoundError(
                f"Preset {preset!r} expects weights at {weights_path}, which is missing."
            )
        model.load_weights(weights_path)
    return model
