from keras_gan.models.pix2pix.pix2pix_gan import Pix2Pix

__all__ = ["Pix2Pix"]
