from keras_gan.models.lsgan.lsgan_gan import LSGAN

__all__ = ["LSGAN"]
