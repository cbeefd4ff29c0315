"""SNGAN (Miyato et al., 2018): spectral normalization in the discriminator, hinge loss."""

from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.registry import register_family


@register_family("sngan")
class SNGAN(DCGAN):
    """A discriminator whose every weight layer is spectrally normalised, trained with hinge."""

    default_loss = "hinge"
    default_discriminator_norm = "spectral"
