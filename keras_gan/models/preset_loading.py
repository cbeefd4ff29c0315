"""`from_preset`: build a family from a named configuration or load a saved model.

Presets are plain data: a dict per family mapping `<family>_<dataset>_<size>`
to a description, the constructor's keyword arguments and, when trained weights
ship with the package, the weights file relative to the family's folder:
`weights` (the whole model) or `generator_weights` (the exported network only, which
keeps shipped files small), each with its `sha256`, checked before loading.
"""

import hashlib
import os
from pathlib import Path

import keras


def preset_weights_path(module_file: str, relative: str) -> Path:
    return Path(module_file).resolve().parent / relative


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


def load_preset(cls, preset: str, load_weights: bool = True, **overrides):
    """Returns a `cls` instance for a preset name or a `.keras` path.

    `load_weights=False` builds the preset's configuration untrained (to train it again).
    """
    if is_saved_model_path(preset):
        model = load_saved_model(preset)
        path = Path(preset)
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
    if not load_weights:
        return model
    if entry.get("weights"):
        model.load_weights(_checked_weights(preset, entry, "weights"))
    if entry.get("generator_weights"):
        model.generator.load_weights(_checked_weights(preset, entry, "generator_weights"))
    return model


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checked_weights(preset: str, entry: dict, key: str) -> Path:
    """The weights file a preset names, after checking it exists and matches its sha256."""
    path = preset_weights_path(entry["module_file"], entry[key])
    if not path.exists():
        raise FileNotFoundError(f"Preset {preset!r} expects weights at {path}, which is missing.")
    expected = entry.get(f"{key}_sha256")
    if expected and file_sha256(path) != expected:
        raise ValueError(
            f"Preset {preset!r}: {path} does not match its recorded sha256 (corrupt or "
            "replaced file); reinstall keras-gan."
        )
    return path
