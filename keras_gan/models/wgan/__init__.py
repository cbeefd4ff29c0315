from keras_gan.models.wgan.wgan_gan import WGAN

__all__ = ["WGAN"]
