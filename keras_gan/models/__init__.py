"""GAN families: each a `keras.Model` trained with `fit`."""

from keras_gan.models.acgan import ACGAN
from keras_gan.models.cgan import CGAN
from keras_gan.models.dcgan import DCGAN
from keras_gan.models.gan import GAN
from keras_gan.models.infogan import InfoGAN
from keras_gan.models.lsgan import LSGAN
from keras_gan.models.sngan import SNGAN
from keras_gan.models.wgan import WGAN
from keras_gan.models.wgan_gp import WGANGP

FAMILIES = {
    "dcgan": DCGAN,
    "lsgan": LSGAN,
    "wgan": WGAN,
    "wgan_gp": WGANGP,
    "sngan": SNGAN,
    "cgan": CGAN,
    "acgan": ACGAN,
    "infogan": InfoGAN,
}


def get_family(name: str) -> type:
    """The model class for a family name such as `dcgan` or `wgan-gp`."""
    key = name.lower().replace("-", "_")
    if key not in FAMILIES:
        raise ValueError(f"Unknown family {name!r}. Expected one of {sorted(FAMILIES)}.")
    return FAMILIES[key]


__all__ = [
    "ACGAN",
    "CGAN",
    "DCGAN",
    "FAMILIES",
    "GAN",
    "InfoGAN",
    "LSGAN",
    "SNGAN",
    "WGAN",
    "WGANGP",
    "get_family",
]
