from keras_gan.models.cyclegan.cyclegan_gan import CycleGAN

__all__ = ["CycleGAN"]
