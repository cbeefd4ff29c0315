"""Upsampling by an image resize: one `RESIZE_NEAREST_NEIGHBOR` or `RESIZE_BILINEAR` op in TFLite."""

import keras
import tensorflow as tf

from keras_gan.api_export import keras_gan_export

INTERPOLATIONS = ("nearest", "bilinear")


@keras_gan_export("keras_gan.layers.ResizeUpsampling2D")
class ResizeUpsampling2D(keras.layers.Layer):
    """Multiplies height and width by `factor` with `tf.image.resize`.

    `keras.layers.UpSampling2D` repeats pixels along each axis, which TFLite
    converts to 5-D `TILE` and `RESHAPE` ops; this layer is a single resize op
    (half-pixel centres, as `tf.image.resize`), which mobile GPU delegates run.
    "nearest" gives the same output as `UpSampling2D`. Height and width may be
    dynamic.

    Args:
        factor: the upsampling factor, an int >= 2.
        interpolation: "nearest" or "bilinear".
    """

    def __init__(self, factor: int = 2, interpolation: str = "nearest", **kwargs):
        super().__init__(**kwargs)
        if isinstance(factor, bool) or int(factor) != factor or int(factor) < 2:
            raise ValueError(f"factor must be an int >= 2. Received: factor={factor!r}")
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"interpolation must be one of {INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.factor = int(factor)
        self.interpolation = interpolation

    def call(self, inputs):
        size = tf.shape(inputs)[1:3] * self.factor
        outputs = tf.image.resize(inputs, size, method=self.interpolation)
        return tf.cast(outputs, inputs.dtype)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        return (
            batch,
            None if height is None else self.factor * height,
            None if width is None else self.factor * width,
            channels,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,
            "interpolation": self.interpolation,
        }
