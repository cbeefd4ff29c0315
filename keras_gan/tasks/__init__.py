"""The family contract: one base per task kind (noise -> image, image -> image)."""

from keras_gan.tasks.image_generator import ImageGenerator
from keras_gan.tasks.image_to_image import ImageToImage
from keras_gan.tasks.run_data import RunData
from keras_gan.tasks.task import Task

__all__ = ["ImageGenerator", "ImageToImage", "RunData", "Task"]
