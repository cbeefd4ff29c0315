"""Building blocks shared by the families. One public layer per file."""

from keras_gan.layers.class_projection import ClassProjection
from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.conditional_instance_normalization import ConditionalInstanceNormalization
from keras_gan.layers.image_pool import ImagePool
from keras_gan.layers.inference_clip import InferenceClip
from keras_gan.layers.lab_color import LabToRGB, RGBToLab, lab_to_rgb, rgb_to_lab
from keras_gan.layers.leaky_difference_relu import LeakyDifferenceReLU
from keras_gan.layers.reflection_padding_2d import ReflectionPadding2D
from keras_gan.layers.resize_upsampling_2d import ResizeUpsampling2D
from keras_gan.layers.spatial_concatenate import SpatialConcatenate
from keras_gan.layers.sub_pixel_upsampling import SubPixelUpsampling

__all__ = [
    "ClassProjection",
    "ConditionalBatchNormalization",
    "ConditionalInstanceNormalization",
    "ImagePool",
    "InferenceClip",
    "LabToRGB",
    "LeakyDifferenceReLU",
    "RGBToLab",
    "lab_to_rgb",
    "rgb_to_lab",
    "ReflectionPadding2D",
    "ResizeUpsampling2D",
    "SpatialConcatenate",
    "SubPixelUpsampling",
]
