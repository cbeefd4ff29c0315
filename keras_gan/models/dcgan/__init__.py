from keras_gan.models.dcgan.dcgan_discriminator import build_dcgan_discriminator
from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.models.dcgan.dcgan_generator import build_dcgan_generator, upsampling_plan

__all__ = ["DCGAN", "build_dcgan_discriminator", "build_dcgan_generator", "upsampling_plan"]
