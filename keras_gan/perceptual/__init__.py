"""Frozen ImageNet feature networks (VGG16/VGG19) read from local weight files."""

from keras_gan.perceptual.lpips_conversion import convert_lpips_vgg16
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import (
    MissingWeightsError,
    cache_dir,
    find_vgg_weights,
    load_vgg_arrays,
)

__all__ = [
    "MissingWeightsError",
    "VGGFeatures",
    "cache_dir",
    "convert_lpips_vgg16",
    "find_vgg_weights",
    "load_vgg_arrays",
]
