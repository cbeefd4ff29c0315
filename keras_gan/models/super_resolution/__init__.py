"""Super-resolution networks and the model SRGAN and ESRGAN share."""

from keras_gan.models.super_resolution.rrdb import build_rrdbnet
from keras_gan.models.super_resolution.sr_discriminator import build_sr_discriminator
from keras_gan.models.super_resolution.sr_model import SuperResolutionModel, unit_range_psnr
from keras_gan.models.super_resolution.srresnet import build_srresnet, upsampling_factors

__all__ = [
    "SuperResolutionModel",
    "build_rrdbnet",
    "build_sr_discriminator",
    "build_srresnet",
    "unit_range_psnr",
    "upsampling_factors",
]
