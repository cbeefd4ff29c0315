"""DCGAN (Radford et al., 2016): the convolutional GAN the other families build on."""

import keras

from keras_gan.models.dcgan.dcgan_discriminator import build_dcgan_discriminator
from keras_gan.models.dcgan.dcgan_generator import build_dcgan_generator
from keras_gan.models.gan import GAN
from keras_gan.registry import register_family


@register_family("dcgan")
class DCGAN(GAN):
    """A convolutional GAN built from sizes, or around given networks.

    Args:
        latent_dim: size of z.
        image_size: side of the square images (28, 32, 64, ...).
        channels: 1 (grayscale) or 3 (RGB).
        base_filters: filters of the discriminator's first layer; the generator
            mirrors it.
        generator_norm: `batch` or `none`.
        discriminator_norm: `batch`, `layer`, `spectral` or `none`.
        generator, discriminator: networks to use instead of building them
            (as `from_config` does).
        **kwargs: the base `GAN`'s arguments (`loss`, `d_steps`, `ema_decay`,
            `gradient_penalty_weight`, `clip_value`, `seed`, ...).
    """

    default_loss = "non_saturating"
    default_generator_norm = "batch"
    default_discriminator_norm = "batch"

    def __init__(
        self,
        latent_dim: int = 100,
        image_size: int = 64,
        channels: int = 3,
        base_filters: int = 64,
        generator_norm: str | None = None,
        discriminator_norm: str | None = None,
        generator: keras.Model | None = None,
        discriminator: keras.Model | None = None,
        **kwargs,
    ):
        generator_norm = generator_norm or self.default_generator_norm
        discriminator_norm = discriminator_norm or self.default_discriminator_norm
        if generator is None:
            generator = build_dcgan_generator(
                latent_dim=self.generator_input_dim(latent_dim, kwargs),
                image_size=image_size,
                channels=channels,
                base_filters=base_filters,
                num_classes=self.generator_classes(kwargs),
                norm=generator_norm,
            )
        if discriminator is None:
            discriminator = build_dcgan_discriminator(
                image_size=image_size,
                channels=channels,
                base_filters=base_filters,
                norm=discriminator_norm,
                **self.discriminator_heads(kwargs),
            )
        made = tuple(generator.output.shape[1:])
        if made != (int(image_size), int(image_size), int(channels)):
            # A config whose sizes disagree with its serialized networks (edited by hand):
            # two sources of truth, so refuse instead of reporting one and making another.
            raise ValueError(
                f"{type(self).__name__}'s config contradicts itself: image_size={image_size}, "
                f"channels={channels}, but its generator makes images of shape {made}. Edit "
                "both, or drop the serialized networks to build them from the sizes."
            )
        kwargs.setdefault("loss", self.default_loss)
        super().__init__(generator, discriminator, latent_dim, **self.gan_kwargs(kwargs))
        self.image_size = int(image_size)
        self.channels = int(channels)
        self.base_filters = int(base_filters)
        self.generator_norm = generator_norm
        self.discriminator_norm = discriminator_norm

    # Hooks the conditional families override to shape the networks.
    def generator_input_dim(self, latent_dim, kwargs):
        return latent_dim

    def generator_classes(self, kwargs):
        return None

    def discriminator_heads(self, kwargs):
        return {}

    def gan_kwargs(self, kwargs):
        return kwargs

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "image_size": self.image_size,
                "channels": self.channels,
                "base_filters": self.base_filters,
                "generator_norm": self.generator_norm,
                "discriminator_norm": self.discriminator_norm,
            }
        )
        return config
