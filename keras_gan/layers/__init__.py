"""Building blocks shared by the families. One public layer per file."""

from keras_gan.layers.class_projection import ClassProjection
from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization

__all__ = ["ClassProjection", "ConditionalBatchNormalization"]
