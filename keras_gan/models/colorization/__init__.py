from keras_gan.models.colorization.colorizer_gan import (
    Colorizer,
    build_colorizer_generator,
    grayscale_baseline_psnr,
    rgb_psnr,
)
from keras_gan.utils.tiling import pad_to_multiple

__all__ = [
    "Colorizer",
    "build_colorizer_generator",
    "grayscale_baseline_psnr",
    "pad_to_multiple",
    "rgb_psnr",
]
