from keras_gan.models.wgan_gp.wgan_gp_gan import WGANGP

__all__ = ["WGANGP"]
