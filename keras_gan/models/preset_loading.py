"""Loading a saved `.keras` model with one-line errors; presets live in `keras_gan.presets`."""

import os
from pathlib import Path

import keras


def is_saved_model_path(spec: str | os.PathLike) -> bool:
    """Whether `spec` names a saved model file rather than a preset name."""
    spec = str(spec)
    return spec.endswith(".keras") or os.path.sep in spec or Path(spec).exists()


def load_saved_model(path: str | os.PathLike) -> keras.Model:
    """`keras.saving.load_model` with one-line errors for a missing or corrupt file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No model file at {path}.")
    try:
        return keras.saving.load_model(path)
    except (OSError, ValueError, KeyError) as error:
        raise ValueError(f"Cannot load {path}: not a valid .keras file ({error}).") from None
