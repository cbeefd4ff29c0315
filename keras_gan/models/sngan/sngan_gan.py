"""SNGAN (Miyato et al., 2018): spectral normalization in the discriminator, hinge loss."""

from keras_gan.api_export import keras_gan_export
from keras_gan.models.dcgan.dcgan_gan import DCGAN


def _presets():
    return {
        "sngan_fashion_mnist_28": {
            "description": "SNGAN (standard CNN) for 28x28 grayscale Fashion-MNIST.",
            "config": {"latent_dim": 128, "image_size": 28, "channels": 1, "base_filters": 64},
            "module_file": __file__,
        }
    }


@keras_gan_export("keras_gan.models.SNGAN")
class SNGAN(DCGAN):
    """A discriminator whose every weight layer is spectrally normalised, trained with hinge."""

    presets = _presets()
    default_loss = "hinge"
    default_discriminator_norm = "spectral"
