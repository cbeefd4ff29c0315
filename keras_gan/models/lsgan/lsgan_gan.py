"""LSGAN (Mao et al., 2017): DCGAN networks with the least-squares loss."""

from keras_gan.api_export import keras_gan_export
from keras_gan.models.dcgan.dcgan_gan import DCGAN


def _presets():
    return {
        "lsgan_fashion_mnist_28": {
            "description": "LSGAN for 28x28 grayscale Fashion-MNIST.",
            "config": {"latent_dim": 100, "image_size": 28, "channels": 1, "base_filters": 64},
            "module_file": __file__,
        }
    }


@keras_gan_export("keras_gan.models.LSGAN")
class LSGAN(DCGAN):
    """DCGAN trained with the least-squares adversarial loss (a-b-c = 0-1-1)."""

    presets = _presets()
    default_loss = "least_squares"
