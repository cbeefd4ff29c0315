"""tf.data input pipelines for GAN training: float32 NHWC images in [-1, 1]."""

from keras_gan.data.augment import random_flip_left_right, resize_images, scale_to_unit_range
from keras_gan.data.class_folder import class_folder_dataset
from keras_gan.data.crops import SmallImageWarning
from keras_gan.data.fashion_mnist import (
    FASHION_MNIST_CLASSES,
    fashion_mnist_dataset,
    load_fashion_mnist,
)
from keras_gan.data.image_files import IMAGE_EXTENSIONS, CorruptImageWarning, list_image_files
from keras_gan.data.image_folder import image_folder_dataset
from keras_gan.data.paired import (
    UnpairedFileWarning,
    paired_dataset,
    paired_examples,
    paired_files,
)
from keras_gan.data.photo_crops import photo_crop_dataset
from keras_gan.data.super_resolution import (
    bicubic_upscale,
    crop_to_multiple,
    downscale,
    super_resolution_dataset,
)
from keras_gan.data.unpaired import unpaired_dataset, unpaired_examples

__all__ = [
    "FASHION_MNIST_CLASSES",
    "IMAGE_EXTENSIONS",
    "CorruptImageWarning",
    "SmallImageWarning",
    "UnpairedFileWarning",
    "bicubic_upscale",
    "class_folder_dataset",
    "crop_to_multiple",
    "downscale",
    "fashion_mnist_dataset",
    "image_folder_dataset",
    "list_image_files",
    "load_fashion_mnist",
    "paired_dataset",
    "paired_examples",
    "paired_files",
    "photo_crop_dataset",
    "random_flip_left_right",
    "resize_images",
    "scale_to_unit_range",
    "super_resolution_dataset",
    "unpaired_dataset",
    "unpaired_examples",
]
