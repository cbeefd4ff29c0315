"""GAN families: each a `keras.Model` trained with `fit`, registered from its own folder.

Importing this package imports every sub-package of its folder; each family registers
itself there (`keras_gan.registry.register_family`), and becomes `keras_gan.models.<Name>`.
A new family is a new folder: nothing here names it.
"""

import importlib as _importlib
import pkgutil as _pkgutil

from keras_gan.models.gan import GAN
from keras_gan.models.preset_loading import is_saved_model_path, load_saved_model

for _module in _pkgutil.iter_modules(__path__):
    if _module.ispkg:
        _importlib.import_module(f"{__name__}.{_module.name}")

from keras_gan.registry import family_info as _family_info  # noqa: E402
from keras_gan.registry import list_families  # noqa: E402

globals().update({info.cls.__name__: info.cls for info in list_families()})


def _views() -> tuple[dict, dict, dict]:
    noise = {info.name: info.cls for info in list_families("image_generator")}
    image = {info.name: info.cls for info in list_families("image_to_image")}
    translation = {k: v for k, v in image.items() if v.evaluation_kind in ("paired", "unpaired")}
    photo = {k: v for k, v in image.items() if k not in translation}
    return noise, translation, photo


# Views of the registry, kept for older callers: noise -> image, translation, photo families.
NOISE_FAMILIES, TRANSLATION_FAMILIES, PHOTO_FAMILIES = _views()
FAMILIES = {info.name: info.cls for info in list_families()}


def get_family(name: str) -> type:
    """The model class for a family name such as `dcgan` or `wgan-gp`."""
    return _family_info(name).cls


def all_presets() -> dict[str, type]:
    """Every preset name mapped to its family class."""
    return {name: info.cls for info in list_families() for name in info.cls.presets}


def load_gan(spec: str, allow_untrained: bool = False):
    """A trained model from a `.keras` path, a preset name or a preset folder of any family.

    A preset that ships no weights raises `UntrainedPresetError` (one line saying how to
    train it), unless `allow_untrained` (random weights, on purpose).
    """
    from keras_gan.presets import check_trained, is_preset_folder, read_preset
    from keras_gan.presets.loader import class_for

    if is_preset_folder(spec):
        entry = read_preset(spec)
        check_trained(entry["name"], entry, allow_untrained)
        return class_for(entry["class_name"]).from_preset(spec)
    if is_saved_model_path(spec):
        return load_saved_model(spec)
    presets = all_presets()
    if spec not in presets:
        raise ValueError(
            f"{spec!r} is neither a .keras file nor a known preset. Presets: {sorted(presets)}."
        )
    check_trained(spec, presets[spec].presets[spec], allow_untrained)
    return presets[spec].from_preset(spec)


__all__ = [
    "FAMILIES",
    "GAN",
    "NOISE_FAMILIES",
    "PHOTO_FAMILIES",
    "TRANSLATION_FAMILIES",
    "all_presets",
    "get_family",
    "list_families",
    "load_gan",
    *sorted(info.cls.__name__ for info in list_families()),
]
