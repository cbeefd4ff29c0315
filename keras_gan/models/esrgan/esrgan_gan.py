"""ESRGAN (Wang et al., 2018): an RRDB generator, a relativistic discriminator, pre-activation VGG features."""

import keras

from keras_gan.losses.perceptual import feature_reconstruction_loss
from keras_gan.losses.relativistic import (
    relativistic_average_discriminator_loss,
    relativistic_average_generator_loss,
)
from keras_gan.models.super_resolution.rrdb import build_rrdbnet
from keras_gan.models.super_resolution.sr_model import SuperResolutionModel
from keras_gan.registry import register_family


@register_family("esrgan")
class ESRGAN(SuperResolutionModel):
    """An RRDBNet generator, a VGG-style relativistic average discriminator, ESRGAN's losses.

    `phase="psnr"` pre-trains the generator on the L1 pixel loss with Adam(2e-4,
    beta 0.9/0.99). `phase="gan"` trains with Adam(1e-4, beta 0.9/0.99) on
    `perceptual + 5e-3 * g_adv + 1e-2 * l1`: the perceptual term is the L1 distance
    of VGG features taken before the ReLU (the paper's VGG19 `block5_conv4` is
    replaced by VGG16 `block5_conv3`, the VGG this package builds offline; both are
    options), the adversarial terms are the relativistic average GAN losses
    (`keras_gan.losses.relativistic`).

    The generator upsamples by sub-pixel convolution (see `build_rrdbnet`); its output
    is linear in training and clipped to [-1, 1] at inference. See
    `SuperResolutionModel` for the data, the phases, `upscale` and the metrics.

    Args:
        scale: 2, 3, 4 or 8.
        filters, growth_channels, num_blocks, residual_scale, global_skip: see `build_rrdbnet`
            (64, 32, 23, 0.2 in the paper).
        discriminator_filters, discriminator_stages, discriminator_dense_units: see
            `build_sr_discriminator` (ESRGAN's VGG-128: 64, 5, 100).
        phase: `"psnr"` or `"gan"`.
        pixel_weight, perceptual_weight, adversarial_weight: the `gan`-phase weights
            (1e-2, 1, 5e-3).
        perceptual_architecture, perceptual_layer, perceptual_weights: the VGG of the
            perceptual loss (`perceptual_weights=None`: random weights, tests only).
        generator, discriminator: networks to use instead of building them.
    """

    tiny_config = {**SuperResolutionModel.tiny_config, "growth_channels": 4}
    perceptual_before_activation = True
    generator_uses_real_logits = True
    optimizer_settings = {"psnr": (2e-4, 0.9, 0.99), "gan": (1e-4, 0.9, 0.99)}

    def __init__(
        self,
        scale: int = 4,
        filters: int = 64,
        growth_channels: int = 32,
        num_blocks: int = 23,
        residual_scale: float = 0.2,
        global_skip: str | None = None,
        discriminator_filters: int = 64,
        discriminator_stages: int = 5,
        discriminator_dense_units: int = 100,
        phase: str = "psnr",
        pixel_weight: float = 1e-2,
        perceptual_weight: float = 1.0,
        adversarial_weight: float = 5e-3,
        perceptual_architecture: str = "vgg16",
        perceptual_layer: str = "block5_conv3",
        perceptual_weights: str | None = "imagenet",
        generator: keras.Model | None = None,
        discriminator: keras.Model | None = None,
        **kwargs,
    ):
        super().__init__(
            scale=scale,
            phase=phase,
            discriminator_filters=discriminator_filters,
            discriminator_stages=discriminator_stages,
            discriminator_dense_units=discriminator_dense_units,
            pixel_weight=pixel_weight,
            perceptual_weight=perceptual_weight,
            adversarial_weight=adversarial_weight,
            perceptual_architecture=perceptual_architecture,
            perceptual_layer=perceptual_layer,
            perceptual_weights=perceptual_weights,
            **kwargs,
        )
        self.filters = int(filters)
        self.growth_channels = int(growth_channels)
        self.num_blocks = int(num_blocks)
        self.residual_scale = float(residual_scale)
        self.global_skip = global_skip
        self.generator = generator or build_rrdbnet(
            scale,
            filters,
            growth_channels,
            num_blocks,
            residual_scale,
            global_skip=global_skip,
            name="generator",
        )
        self._set_discriminator(discriminator)

    def discriminator_loss(self, real_logits, fake_logits):
        return relativistic_average_discriminator_loss(real_logits, fake_logits)

    def generator_adversarial_loss(self, real_logits, fake_logits):
        return relativistic_average_generator_loss(real_logits, fake_logits)

    def perceptual_distance(self, features, target_features):
        return feature_reconstruction_loss(features, target_features, norm="l1")

    def family_config(self) -> dict:
        return {
            "filters": self.filters,
            "growth_channels": self.growth_channels,
            "num_blocks": self.num_blocks,
            "residual_scale": self.residual_scale,
            "global_skip": self.global_skip,
        }
