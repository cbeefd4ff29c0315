from keras_gan.models.srgan.srgan_gan import SRGAN

__all__ = ["SRGAN"]
