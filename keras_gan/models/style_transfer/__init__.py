from keras_gan.models.style_transfer.style_images import load_style_image
from keras_gan.models.style_transfer.style_transfer_model import StyleTransfer
from keras_gan.models.style_transfer.transform_network import build_transform_network

__all__ = ["StyleTransfer", "build_transform_network", "load_style_image"]
