from keras_gan.models.pix2pixhd.pix2pixhd_gan import Pix2PixHD

__all__ = ["Pix2PixHD"]
