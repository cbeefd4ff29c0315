"""WGAN (Arjovsky et al., 2017): a critic with clipped weights and the Wasserstein loss."""

import keras

from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.registry import register_family


@register_family("wgan")
class WGAN(DCGAN):
    """Wasserstein GAN: 5 critic steps per generator step, weights clipped to ±0.01.

    The paper's RMSprop(5e-5) is the default optimizer of both networks.
    """

    default_loss = "wasserstein"

    def __init__(self, *args, clip_value: float = 0.01, d_steps: int = 5, **kwargs):
        super().__init__(*args, clip_value=clip_value, d_steps=d_steps, **kwargs)

    @classmethod
    def default_optimizers(cls):
        return keras.optimizers.RMSprop(5e-5), keras.optimizers.RMSprop(5e-5)
