"""PSNR, SSIM and LPIPS as Keras metrics, for `compile(metrics=[...])` and callbacks.

Each metric takes `update_state(y_true, y_pred, sample_weight=None)` on float images
`[N, H, W, C]` in `[-1, 1]` and reports the mean over every image seen (weighted by
`sample_weight`, one weight per image). PSNR is computed per image and then averaged, as
super-resolution papers report it; `keras_gan.metrics.image_quality.psnr` measures the error
over all pixels of a batch at once, which differs when images differ in error (use it per image
to match). PSNR and SSIM follow `image_quality`'s conventions exactly (images mapped to
`[0, 255]` and clipped, BT.601 luma for `y_channel`, `shave` border pixels dropped; SSIM with a
Gaussian window of sigma 1.5 truncated at 3.5 sigma, K1 = 0.01, K2 = 0.03, averaged over the
positions where the 11x11 window fits, then over channels) in float64 TensorFlow ops, so they
run inside `tf.function` and under XLA.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.api_export import keras_gan_export
from keras_gan.metrics.lpips import LPIPSDistance

_BT601_Y = np.array([65.481, 128.553, 24.966], np.float64) / 255.0
_SSIM_SIGMA = 1.5
_SSIM_RADIUS = int(3.5 * _SSIM_SIGMA + 0.5)  # scipy's gaussian_filter radius: 5, an 11-tap window


def _check_shave(shave) -> int:
    if int(shave) != shave or shave < 0:
        raise ValueError(f"`shave` must be a non-negative int. Received: shave={shave!r}")
    return int(shave)


def _uint8_range(images, y_channel: bool, shave: int) -> tf.Tensor:
    """float64 `[N, H, W, C]` in `[0, 255]` (luma if asked), with the border shaved."""
    x = tf.convert_to_tensor(images)
    if x.shape.rank != 4:
        raise ValueError(f"Expected images [N, H, W, C]. Received shape: {x.shape}")
    x = tf.clip_by_value((tf.cast(x, tf.float64) + 1.0) * 127.5, 0.0, 255.0)
    if y_channel and x.shape[-1] == 3:
        x = 16.0 + tf.reduce_sum(x * _BT601_Y, axis=-1, keepdims=True)
    if shave:
        x = x[:, shave:-shave, shave:-shave, :]
    return x


class _PerImageMean(keras.metrics.Metric):
    """Weighted mean of a per-image value; subclasses define `per_image(y_true, y_pred)`."""

    def __init__(self, name: str, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", dtype="float64", name="total")
        self.count = self.add_variable((), "zeros", dtype="float64", name="count")

    def per_image(self, y_true, y_pred) -> tf.Tensor:
        raise NotImplementedError

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Adds the per-image values of this batch (weighted by `sample_weight` `[N]`)."""
        y_true, y_pred = tf.convert_to_tensor(y_true), tf.convert_to_tensor(y_pred)
        if y_true.shape.is_fully_defined() and y_pred.shape.is_fully_defined():
            if y_true.shape != y_pred.shape:
                raise ValueError(
                    f"`y_true` and `y_pred` differ in shape: {y_true.shape} vs {y_pred.shape}"
                )
        values = tf.cast(self.per_image(y_true, y_pred), tf.float64)
        if sample_weight is None:
            weights = tf.ones_like(values)
        else:
            weights = tf.cast(tf.convert_to_tensor(sample_weight), tf.float64)
            weights = tf.broadcast_to(tf.reshape(weights, [-1]), tf.shape(values))
        self.total.assign_add(tf.reduce_sum(values * weights))
        self.count.assign_add(tf.reduce_sum(weights))

    def result(self) -> tf.Tensor:
        return tf.cast(
            tf.math.divide_no_nan(tf.convert_to_tensor(self.total), self.count), self.dtype
        )

    def reset_state(self) -> None:
        self.total.assign(0.0)
        self.count.assign(0.0)


class _ImageComparison(_PerImageMean):
    """A per-image mean measured on uint8-range images, RGB or BT.601 luma, border shaved."""

    def __init__(self, y_channel: bool, shave: int, name: str, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.y_channel = bool(y_channel)
        self.shave = _check_shave(shave)

    def get_config(self) -> dict:
        return {**super().get_config(), "y_channel": self.y_channel, "shave": self.shave}


@keras_gan_export("keras_gan.metrics.PSNR")
class PSNR(_ImageComparison):
    """Mean per-image peak signal-to-noise ratio in dB (peak 255) of images in `[-1, 1]`.

    An image identical to its target has infinite PSNR, which makes the mean infinite.

    Args:
        y_channel: measure the BT.601 luma of RGB images (Y in [16, 235]) instead of RGB.
        shave: border pixels dropped on each side before measuring (the SR scale, usually).
        name, dtype: as for any Keras metric.
    """

    def __init__(self, y_channel: bool = False, shave: int = 0, name: str = "psnr", dtype=None):
        super().__init__(y_channel, shave, name=name, dtype=dtype)

    def per_image(self, y_true, y_pred) -> tf.Tensor:
        a = _uint8_range(y_true, self.y_channel, self.shave)
        b = _uint8_range(y_pred, self.y_channel, self.shave)
        mse = tf.reduce_mean(tf.square(a - b), axis=(1, 2, 3))
        return 10.0 * tf.math.log(255.0**2 / mse) / tf.math.log(tf.constant(10.0, tf.float64))


def _gaussian_window() -> np.ndarray:
    offsets = np.arange(-_SSIM_RADIUS, _SSIM_RADIUS + 1, dtype=np.float64)
    window = np.exp(-0.5 * (offsets / _SSIM_SIGMA) ** 2)
    return window / window.sum()


@keras_gan_export("keras_gan.metrics.SSIM")
class SSIM(_ImageComparison):
    """Mean per-image structural similarity of images in `[-1, 1]` (see the module docstring).

    Images (after `shave`) must be at least 11x11.

    Args:
        y_channel: measure the BT.601 luma of RGB images instead of each RGB channel.
        shave: border pixels dropped on each side before measuring.
        name, dtype: as for any Keras metric.
    """

    def __init__(self, y_channel: bool = False, shave: int = 0, name: str = "ssim", dtype=None):
        super().__init__(y_channel, shave, name=name, dtype=dtype)

    def per_image(self, y_true, y_pred) -> tf.Tensor:
        a = _uint8_range(y_true, self.y_channel, self.shave)
        b = _uint8_range(y_pred, self.y_channel, self.shave)
        height, width = a.shape[1], a.shape[2]
        if (height is not None and height < 11) or (width is not None and width < 11):
            raise ValueError(
                f"SSIM needs images of at least 11x11 after shaving {self.shave} pixels. "
                f"Received shape: {a.shape}"
            )
        channels = tf.shape(a)[-1]
        window = _gaussian_window()
        rows = tf.constant(window.reshape(-1, 1, 1, 1))
        columns = tf.constant(window.reshape(1, -1, 1, 1))

        def blur(z):  # per channel, only where the whole window fits
            z = tf.reshape(tf.transpose(z, (0, 3, 1, 2)), tf.concat([[-1], tf.shape(z)[1:3]], 0))
            z = tf.nn.conv2d(z[..., None], rows, strides=1, padding="VALID")
            return tf.nn.conv2d(z, columns, strides=1, padding="VALID")[..., 0]

        c1, c2 = (0.01 * 255.0) ** 2, (0.03 * 255.0) ** 2
        mu_a, mu_b = blur(a), blur(b)
        var_a = blur(a * a) - mu_a**2
        var_b = blur(b * b) - mu_b**2
        covariance = blur(a * b) - mu_a * mu_b
        numerator = (2.0 * mu_a * mu_b + c1) * (2.0 * covariance + c2)
        denominator = (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
        per_channel = tf.reduce_mean(numerator / denominator, axis=(1, 2))
        return tf.reduce_mean(tf.reshape(per_channel, tf.stack([-1, channels])), axis=1)


@keras_gan_export("keras_gan.metrics.LPIPS")
class LPIPS(_PerImageMean):
    """Mean LPIPS distance (`LPIPSDistance`) between `y_true` and `y_pred` in `[-1, 1]`.

    The VGG16 and LPIPS weights are read from their local files when the metric is created,
    so a missing file fails here rather than inside training.

    Args:
        name, dtype: as for any Keras metric.
        linear_weights, vgg_weights: passed to `LPIPSDistance` (default: the cached files).
    """

    def __init__(
        self,
        name: str = "lpips",
        dtype=None,
        *,
        linear_weights: str | None = None,
        vgg_weights: str | None = "imagenet",  # the local ImageNet file (find_vgg_weights)
    ):
        super().__init__(name=name, dtype=dtype)
        self.distance = LPIPSDistance(
            linear_weights=linear_weights, vgg_weights=vgg_weights, name=f"{name}_distance"
        )
        self.distance.build((None, None, None, 3), (None, None, None, 3))

    def per_image(self, y_true, y_pred) -> tf.Tensor:
        return self.distance(y_true, y_pred)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "linear_weights": self.distance.linear_weights,
            "vgg_weights": self.distance.vgg_weights,
        }
