"""The reference's network names (`--netG`, `--netD`) mapped to builders."""

import keras

from keras_gan.models.image_translation.norms import check_norm
from keras_gan.models.image_translation.patch_discriminator import (
    build_patch_discriminator,
    build_pixel_discriminator,
)
from keras_gan.models.image_translation.resnet_generator import build_resnet_generator
from keras_gan.models.image_translation.unet_generator import build_unet_generator

GENERATOR_TYPES = ("unet_128", "unet_256", "resnet_6blocks", "resnet_9blocks")
DISCRIMINATOR_TYPES = ("basic", "n_layers", "pixel")


def generator_size_multiple(generator_type: str) -> int:
    """The image sides a generator takes are multiples of this number."""
    _check(generator_type, GENERATOR_TYPES, "generator")
    if generator_type.startswith("unet_"):
        return 2 ** _unet_downs(generator_type)
    return 4


def _unet_downs(generator_type: str) -> int:
    return {"unet_128": 7, "unet_256": 8}[generator_type]


def _check(value, allowed, what):
    if value not in allowed:
        raise ValueError(f"Unknown {what} type {value!r}. Expected one of {allowed}.")


def build_generator(
    generator_type: str,
    input_channels: int = 3,
    output_channels: int = 3,
    filters: int = 64,
    norm: str = "batch",
    dropout: bool = False,
    name: str = "generator",
) -> keras.Model:
    """A generator by its reference name (`--netG`)."""
    _check(generator_type, GENERATOR_TYPES, "generator")
    check_norm(norm)
    common = dict(
        input_channels=input_channels,
        output_channels=output_channels,
        filters=filters,
        norm=norm,
        dropout=dropout,
        name=name,
    )
    if generator_type.startswith("unet_"):
        return build_unet_generator(num_downs=_unet_downs(generator_type), **common)
    blocks = {"resnet_6blocks": 6, "resnet_9blocks": 9}[generator_type]
    return build_resnet_generator(num_blocks=blocks, **common)


def build_discriminator(
    discriminator_type: str,
    input_channels: int,
    filters: int = 64,
    num_layers: int = 3,
    norm: str = "batch",
    name: str = "discriminator",
) -> keras.Model:
    """A discriminator by its reference name (`--netD`); `num_layers` is `--n_layers_D`."""
    _check(discriminator_type, DISCRIMINATOR_TYPES, "discriminator")
    check_norm(norm)
    if discriminator_type == "pixel":
        return build_pixel_discriminator(input_channels, filters, norm=norm, name=name)
    layers = 3 if discriminator_type == "basic" else num_layers
    return build_patch_discriminator(input_channels, filters, layers, norm=norm, name=name)
