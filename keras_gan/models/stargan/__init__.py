from keras_gan.models.stargan.stargan_gan import StarGAN

__all__ = ["StarGAN"]
