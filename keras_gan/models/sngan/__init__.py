from keras_gan.models.sngan.sngan_gan import SNGAN

__all__ = ["SNGAN"]
