"""GAN families: each a `keras.Model` trained with `fit`."""

from keras_gan.models.acgan import ACGAN
from keras_gan.models.cgan import CGAN
from keras_gan.models.colorization import Colorizer
from keras_gan.models.cyclegan import CycleGAN
from keras_gan.models.dcgan import DCGAN
from keras_gan.models.esrgan import ESRGAN
from keras_gan.models.gan import GAN
from keras_gan.models.infogan import InfoGAN
from keras_gan.models.lsgan import LSGAN
from keras_gan.models.pix2pix import Pix2Pix
from keras_gan.models.preset_loading import is_saved_model_path, load_saved_model
from keras_gan.models.sngan import SNGAN
from keras_gan.models.srgan import SRGAN
from keras_gan.models.style_transfer import StyleTransfer
from keras_gan.models.wgan import WGAN
from keras_gan.models.wgan_gp import WGANGP

NOISE_FAMILIES = {
    "dcgan": DCGAN,
    "lsgan": LSGAN,
    "wgan": WGAN,
    "wgan_gp": WGANGP,
    "sngan": SNGAN,
    "cgan": CGAN,
    "acgan": ACGAN,
    "infogan": InfoGAN,
}
TRANSLATION_FAMILIES = {"pix2pix": Pix2Pix, "cyclegan": CycleGAN}
# Trained on a plain folder of photos (crops made on the fly); shipped with weights.
PHOTO_FAMILIES = {
    "srgan": SRGAN,
    "esrgan": ESRGAN,
    "colorizer": Colorizer,
    "style_transfer": StyleTransfer,
}
FAMILIES = {**NOISE_FAMILIES, **TRANSLATION_FAMILIES, **PHOTO_FAMILIES}


def get_family(name: str) -> type:
    """The model class for a family name such as `dcgan` or `wgan-gp`."""
    key = name.lower().replace("-", "_")
    if key not in FAMILIES:
        raise ValueError(f"Unknown family {name!r}. Expected one of {sorted(FAMILIES)}.")
    return FAMILIES[key]


def all_presets() -> dict[str, type]:
    """Every preset name mapped to its family class."""
    return {name: cls for cls in FAMILIES.values() for name in cls.presets}


def load_gan(spec: str):
    """A GAN from a `.keras` path or a preset name of any family."""
    if is_saved_model_path(spec):
        return load_saved_model(spec)
    presets = all_presets()
    if spec not in presets:
        raise ValueError(
            f"{spec!r} is neither a .keras file nor a known preset. Presets: {sorted(presets)}."
        )
    return presets[spec].from_preset(spec)


__all__ = [
    "all_presets",
    "load_gan",
    "ACGAN",
    "CGAN",
    "Colorizer",
    "CycleGAN",
    "DCGAN",
    "ESRGAN",
    "FAMILIES",
    "NOISE_FAMILIES",
    "PHOTO_FAMILIES",
    "TRANSLATION_FAMILIES",
    "GAN",
    "InfoGAN",
    "LSGAN",
    "Pix2Pix",
    "SNGAN",
    "SRGAN",
    "StyleTransfer",
    "WGAN",
    "WGANGP",
    "get_family",
]
