"""LSGAN (Mao et al., 2017): DCGAN networks with the least-squares loss."""

from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.registry import register_family


@register_family("lsgan")
class LSGAN(DCGAN):
    """DCGAN trained with the least-squares adversarial loss (a-b-c = 0-1-1)."""

    default_loss = "least_squares"
