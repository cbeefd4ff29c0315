"""The networks Pix2Pix and CycleGAN share, as in pytorch-CycleGAN-and-pix2pix."""

from keras_gan.models.image_translation.networks import (
    DISCRIMINATOR_TYPES,
    GENERATOR_TYPES,
    build_discriminator,
    build_generator,
    generator_size_multiple,
)
from keras_gan.models.image_translation.norms import NORMS
from keras_gan.models.image_translation.patch_discriminator import (
    build_patch_discriminator,
    build_pixel_discriminator,
)
from keras_gan.models.image_translation.resnet_generator import build_resnet_generator
from keras_gan.models.image_translation.unet_generator import build_unet_generator

__all__ = [
    "DISCRIMINATOR_TYPES",
    "GENERATOR_TYPES",
    "NORMS",
    "build_discriminator",
    "build_generator",
    "build_patch_discriminator",
    "build_pixel_discriminator",
    "build_resnet_generator",
    "build_unet_generator",
    "generator_size_multiple",
]
