from keras_gan.models.acgan.acgan_gan import ACGAN

__all__ = ["ACGAN"]
