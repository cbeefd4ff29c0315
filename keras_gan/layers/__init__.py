"""Building blocks shared by the families. One public layer per file."""

from keras_gan.layers.class_projection import ClassProjection
from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.image_pool import ImagePool
from keras_gan.layers.reflection_padding_2d import ReflectionPadding2D

__all__ = [
    "ClassProjection",
    "ConditionalBatchNormalization",
    "ImagePool",
    "ReflectionPadding2D",
]
