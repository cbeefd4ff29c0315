from keras_gan.models.cgan.cgan_gan import CGAN

__all__ = ["CGAN"]
