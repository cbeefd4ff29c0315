"""Reading preset folders: `Class.presets`, `from_preset`, sha256 checks."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path

CONFIG_FILE = "config.json"
METADATA_FILE = "metadata.json"
WEIGHTS_FILE = "generator.weights.h5"


class UntrainedPresetError(ValueError):
    """A preset that ships no weights was asked for where trained weights are needed."""


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_preset_folder(path: str | os.PathLike) -> bool:
    path = Path(path)
    return (path / CONFIG_FILE).is_file() and (path / METADATA_FILE).is_file()


def read_preset(folder: str | os.PathLike) -> dict:
    """A preset folder as one dict: the metadata plus `config`, `class_name`, `path`.

    `has_weights` says whether the folder ships `generator.weights.h5`.
    """
    folder = Path(folder)
    try:
        config = json.loads((folder / CONFIG_FILE).read_text())
        metadata = json.loads((folder / METADATA_FILE).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"{folder} is not a readable preset folder: {error}") from None
    return {
        **metadata,
        "name": metadata.get("name", folder.name),
        "class_name": config["class_name"],
        "config": config["config"],
        "path": str(folder),
        "has_weights": WEIGHTS_FILE in metadata.get("files", {}),
    }


@functools.cache
def _presets_in(folder: str) -> tuple[dict, ...]:
    root = Path(folder)
    if not root.is_dir():
        return ()
    return tuple(read_preset(p) for p in sorted(root.iterdir()) if is_preset_folder(p))


def presets_of(cls: type) -> dict[str, dict]:
    """The presets of `cls`: the folders under `presets/` beside its module, of its class."""
    module = sys.modules.get(cls.__module__)
    if module is None or not getattr(module, "__file__", None):
        return {}
    folder = Path(module.__file__).resolve().parent / "presets"
    return {p["name"]: p for p in _presets_in(str(folder)) if p["class_name"] == cls.__name__}


class PresetsDescriptor:
    """`Class.presets`: read from the class's folder (a class attribute, never set by hand)."""

    def __get__(self, instance, owner) -> dict[str, dict]:
        return presets_of(owner)


def check_trained(name: str, entry: dict, allow_untrained: bool = False) -> None:
    """Refuses a preset without weights, in one line that says how to train it."""
    if entry["has_weights"] or allow_untrained:
        return
    from keras_gan.registry import family_of

    family = family_of(class_for(entry["class_name"])).name
    raise UntrainedPresetError(
        f"Preset {name!r} ships no trained weights (it is a configuration): train it with "
        f"`keras-gan train {name} --data DIR --out RUN_DIR` ({family}) and use "
        "RUN_DIR/model.keras, or pass --allow-untrained (allow_untrained=True) to use random "
        "weights on purpose."
    )


def class_for(class_name: str) -> type:
    """The registered family class named `class_name` (a preset's `class_name`)."""
    from keras_gan.registry import list_families

    for info in list_families():
        if info.cls.__name__ == class_name:
            return info.cls
    raise ValueError(f"No registered family has the class {class_name!r}.")


def _checked_weights(name: str, entry: dict) -> Path:
    path = Path(entry["path"]) / WEIGHTS_FILE
    if not path.exists():
        raise FileNotFoundError(f"Preset {name!r} expects weights at {path}, which is missing.")
    expected = entry["files"][WEIGHTS_FILE]["sha256"]
    if file_sha256(path) != expected:
        raise ValueError(
            f"Preset {name!r}: {path} does not match its recorded sha256 (corrupt or replaced "
            "file); reinstall keras-gan or rebuild the preset."
        )
    return path


def load_preset(cls, preset: str | os.PathLike, load_weights: bool = True, **overrides):
    """A `cls` instance for a preset name, a preset folder or a `.keras` path.

    The preset's class may be a subclass of `cls` (`GAN.from_preset("dcgan_...")`).
    `load_weights=False` builds the configuration untrained (to train it again);
    `overrides` replace entries of its config.
    """
    from keras_gan.models.preset_loading import is_saved_model_path, load_saved_model

    if is_preset_folder(preset):
        entry = read_preset(preset)
        name = entry["name"]
    elif is_saved_model_path(preset):
        model = load_saved_model(preset)
        if not isinstance(model, cls):
            raise ValueError(f"{preset} holds a {type(model).__name__}, not a {cls.__name__}.")
        return model
    else:
        name = str(preset)
        entry = _find(cls, name)
    target = class_for(entry["class_name"])
    if not issubclass(target, cls):
        raise ValueError(f"Preset {name!r} is a {target.__name__} preset, not a {cls.__name__}.")
    model = target(**{**entry["config"], **overrides})
    if load_weights and entry["has_weights"]:
        model.generator.load_weights(_checked_weights(name, entry))
        if getattr(model, "ema_generator", None) is not None:  # EMA starts at the weights
            model.ema_generator.set_weights(model.generator.get_weights())
    return model


def _find(cls, name: str) -> dict:
    from keras_gan.registry import list_families

    candidates = [info.cls for info in list_families() if issubclass(info.cls, cls)]
    for klass in candidates:
        if name in klass.presets:
            return klass.presets[name]
    available = sorted({p for klass in candidates for p in klass.presets})
    raise ValueError(
        f"Unknown preset {name!r} for {cls.__name__}. Available: {available or 'none'}."
    )
