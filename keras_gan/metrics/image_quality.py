"""PSNR and SSIM the way super-resolution papers report them (NumPy, on uint8-range images).

`y_channel=True` measures the luma of ITU-R BT.601 (MATLAB's `rgb2ycbcr`: Y in [16, 235]),
the convention of SRGAN/ESRGAN tables; `shave` drops that many border pixels (the scale
factor, by convention) before measuring. SSIM is Wang et al.'s (Gaussian window, sigma 1.5,
K1 = 0.01, K2 = 0.03), computed per channel and averaged.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

_BT601_Y = np.array([65.481, 128.553, 24.966], dtype=np.float64) / 255.0


def to_uint8_range(images: np.ndarray) -> np.ndarray:
    """Float64 copy of images in [0, 255]: uint8 as is, floats in [-1, 1] mapped."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images.astype(np.float64)
    return np.clip((images.astype(np.float64) + 1.0) * 127.5, 0.0, 255.0)


def luma(images: np.ndarray) -> np.ndarray:
    """BT.601 Y (16..235) of RGB images in [0, 255], keeping a channel axis of 1."""
    images = np.asarray(images, dtype=np.float64)
    if images.shape[-1] != 3:
        raise ValueError(f"luma needs RGB images (last axis 3); got shape {images.shape}.")
    return (16.0 + images @ _BT601_Y)[..., None]


def _prepare(a, b, y_channel: bool, shave: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = to_uint8_range(a), to_uint8_range(b)
    if a.shape != b.shape:
        raise ValueError(f"Images differ in shape: {a.shape} vs {b.shape}.")
    if a.ndim not in (3, 4):
        raise ValueError(f"Expected [H, W, C] or [N, H, W, C] images; got shape {a.shape}.")
    if y_channel and a.shape[-1] == 3:
        a, b = luma(a), luma(b)
    if shave:
        if min(a.shape[-3:-1]) <= 2 * shave:
            raise ValueError(f"Images of shape {a.shape} are too small to shave {shave} pixels.")
        a = a[..., shave:-shave, shave:-shave, :]
        b = b[..., shave:-shave, shave:-shave, :]
    return a, b


def psnr(a, b, y_channel: bool = False, shave: int = 0) -> float:
    """Peak signal-to-noise ratio in dB (peak 255) over all pixels of `a` and `b`.

    Images are uint8, or float in [-1, 1]. Identical images give `inf`.
    """
    a, b = _prepare(a, b, y_channel, shave)
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else float(10.0 * np.log10(255.0**2 / mse))


def ssim(a, b, y_channel: bool = False, shave: int = 0) -> float:
    """Structural similarity (mean over pixels, channels and images), in [-1, 1]."""
    a, b = _prepare(a, b, y_channel, shave)
    if a.ndim == 3:
        a, b = a[None], b[None]
    c1, c2 = (0.01 * 255.0) ** 2, (0.03 * 255.0) ** 2
    values = []
    for image_a, image_b in zip(a, b, strict=True):
        for channel in range(image_a.shape[-1]):
            x, y = image_a[..., channel], image_b[..., channel]

            def blur(z):
                return ndimage.gaussian_filter(z, sigma=1.5, truncate=3.5, mode="reflect")

            mu_x, mu_y = blur(x), blur(y)
            var_x = blur(x * x) - mu_x**2
            var_y = blur(y * y) - mu_y**2
            cov = blur(x * y) - mu_x * mu_y
            numerator = (2 * mu_x * mu_y + c1) * (2 * cov + c2)
            denominator = (mu_x**2 + mu_y**2 + c1) * (var_x + var_y + c2)
            # skimage's convention: crop the half window before averaging.
            pad = 5
            values.append(float(np.mean((numerator / denominator)[pad:-pad, pad:-pad])))
    return float(np.mean(values))
