"""WGAN-GP (Gulrajani et al., 2017): the Wasserstein loss with a gradient penalty."""

import keras

from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.registry import register_family


@register_family("wgan_gp", aliases=("wgangp",))
class WGANGP(DCGAN):
    """WGAN-GP: penalty weight 10, 5 critic steps, a critic without batch norm.

    The critic uses layer normalization (batch norm would break the per-sample
    gradient penalty); Adam(1e-4, beta_1=0.5, beta_2=0.9) is the default optimizer.
    """

    default_loss = "wasserstein"
    default_discriminator_norm = "layer"

    def __init__(self, *args, gradient_penalty_weight: float = 10.0, d_steps: int = 5, **kwargs):
        super().__init__(
            *args, gradient_penalty_weight=gradient_penalty_weight, d_steps=d_steps, **kwargs
        )

    @classmethod
    def default_optimizers(cls):
        return (
            keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
            keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
        )
