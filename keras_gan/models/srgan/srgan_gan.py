"""SRGAN (Ledig et al., 2017): SRResNet trained with a VGG content loss and a GAN loss."""

import keras

from keras_gan.losses.adversarial import (
    minimax_discriminator_loss,
    non_saturating_generator_loss,
)
from keras_gan.losses.perceptual import feature_reconstruction_loss
from keras_gan.models.super_resolution.sr_model import SuperResolutionModel
from keras_gan.models.super_resolution.srresnet import build_srresnet
from keras_gan.registry import register_family

VGG_RESCALING = 1.0 / 12.75
"""SRGAN divides the VGG features by 12.75 so that their MSE is on the scale of a pixel MSE.

It still is with this package's VGG16 `block5_conv3` (ImageNet weights, torchvision input
normalization): on bicubic x4 upscales of three 256x256 photos (scikit-image's astronaut,
chelsea, coffee), the rescaled feature MSE is 0.0035 and the pixel MSE 0.0086 ([-1, 1] range).
"""


@register_family("srgan")
class SRGAN(SuperResolutionModel):
    """An SRResNet generator, a VGG-style discriminator and the SRGAN losses.

    `phase="psnr"` trains SRResNet alone on the L1 pixel loss (the paper trains it on
    MSE; both families here pre-train on L1, as ESRGAN does). `phase="gan"` is SRGAN-VGG54: the
    content loss is the MSE between VGG features of the output and the target,
    weighted by `perceptual_weight` = (1 / 12.75)^2 (the paper's feature rescaling),
    plus `adversarial_weight` (1e-3) times the non-saturating GAN loss; the paper adds
    no pixel loss, so `pixel_weight` defaults to 0 (the L1 is still reported). The
    paper's VGG19 `block5_conv4` is replaced by VGG16 `block5_conv3` (after ReLU), the
    VGG whose ImageNet weights this package can build offline; both are options.
    Optimizers: Adam(1e-4, beta_1=0.9) in both phases (the paper lowers the rate to
    1e-5 halfway through the GAN phase: recompile to do so).

    The generator's output is tanh, in [-1, 1] (with `global_skip`, a clipped sum). See `SuperResolutionModel` for the
    data, the phases, `upscale` and the metrics.

    Args:
        scale: 2, 3, 4 or 8.
        filters, num_blocks, batch_norm, global_skip, activation: see `build_srresnet`
            (64, 16, True, None, "prelu" in the paper).
        discriminator_filters, discriminator_stages, discriminator_dense_units: see
            `build_sr_discriminator` (64, 4, 1024 in the paper).
        phase: `"psnr"` or `"gan"`.
        pixel_weight, perceptual_weight, adversarial_weight: the `gan`-phase weights.
        perceptual_architecture, perceptual_layer, perceptual_weights: the VGG of the
            content loss (`perceptual_weights=None`: random weights, tests only).
        generator, discriminator: networks to use instead of building them.
    """

    def __init__(
        self,
        scale: int = 4,
        filters: int = 64,
        num_blocks: int = 16,
        batch_norm: bool = True,
        global_skip: str | None = None,
        activation: str = "prelu",
        discriminator_filters: int = 64,
        discriminator_stages: int = 4,
        discriminator_dense_units: int = 1024,
        phase: str = "psnr",
        pixel_weight: float = 0.0,
        perceptual_weight: float = VGG_RESCALING**2,
        adversarial_weight: float = 1e-3,
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
        self.num_blocks = int(num_blocks)
        self.batch_norm = bool(batch_norm)
        self.global_skip = global_skip
        self.activation = activation
        self.generator = generator or build_srresnet(
            scale,
            filters,
            num_blocks,
            batch_norm=batch_norm,
            global_skip=global_skip,
            activation=activation,
            name="generator",
        )
        self._set_discriminator(discriminator)

    def discriminator_loss(self, real_logits, fake_logits):
        return minimax_discriminator_loss(real_logits, fake_logits)

    def generator_adversarial_loss(self, real_logits, fake_logits):
        return non_saturating_generator_loss(fake_logits)

    def perceptual_distance(self, features, target_features):
        return feature_reconstruction_loss(features, target_features, norm="l2")

    def family_config(self) -> dict:
        return {
            "filters": self.filters,
            "num_blocks": self.num_blocks,
            "batch_norm": self.batch_norm,
            "global_skip": self.global_skip,
            "activation": self.activation,
        }
