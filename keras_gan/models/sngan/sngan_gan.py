"""SNGAN (Miyato et al., 2018): spectral normalization in the discriminator, hinge loss."""

from keras_gan.api_export import keras_gan_export
from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.models.sngan.sngan_presets import SNGAN_PRESETS


@keras_gan_export("keras_gan.models.SNGAN")
class SNGAN(DCGAN):
    """A discriminator whose every weight layer is spectrally normalised, trained with hinge."""

    presets = SNGAN_PRESETS
    default_loss = "hinge"
    default_discriminator_norm = "spectral"
