from keras_gan.models.infogan.infogan_gan import InfoGAN

__all__ = ["InfoGAN"]
