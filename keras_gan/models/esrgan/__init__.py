from keras_gan.models.esrgan.esrgan_gan import ESRGAN

__all__ = ["ESRGAN"]
