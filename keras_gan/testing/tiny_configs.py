"""Tiny configurations of every family, for tests that build many models quickly.

Each entry builds a model with a few thousand parameters whose networks keep the
family's structure (same layers, ops and inputs), so export, serialization and
training-loop tests run in seconds.
"""

_SUPER_RESOLUTION = dict(
    filters=8,
    num_blocks=1,
    discriminator_filters=4,
    discriminator_stages=2,
    discriminator_dense_units=8,
    perceptual_layer="block2_conv2",
    perceptual_weights=None,  # random VGG: no weights file needed
)
_NOISE = dict(latent_dim=8, image_size=28, channels=1, base_filters=4)

TINY_CONFIGS: dict[str, dict] = {
    **{
        name: dict(_NOISE)
        for name in ("dcgan", "lsgan", "wgan", "wgan_gp", "sngan", "cgan", "acgan", "infogan")
    },
    "pix2pix": dict(
        generator_type="unet_128", filters=4, discriminator_filters=4, image_size=128, load_size=128
    ),
    "cyclegan": dict(
        generator_type="resnet_6blocks",
        discriminator_type="n_layers",
        num_discriminator_layers=2,
        filters=4,
        discriminator_filters=4,
        image_size=32,
        load_size=32,
    ),
    "srgan": dict(_SUPER_RESOLUTION),
    "esrgan": {**_SUPER_RESOLUTION, "growth_channels": 4},
    "colorizer": dict(
        generator_type="unet_128", filters=2, discriminator_filters=2, image_size=128
    ),
    "style_transfer": dict(
        filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32, num_styles=2
    ),
}
"""Family name (as in `keras_gan.models.FAMILIES`) -> constructor arguments."""


def tiny_config(family: str, **overrides) -> dict:
    """A copy of `TINY_CONFIGS[family]` with `overrides` applied."""
    return {**TINY_CONFIGS[family], **overrides}
