"""Sub-pixel upsampling (Shi et al., 2016): channels rearranged into space, `DEPTH_TO_SPACE` in TFLite."""

import keras
import tensorflow as tf

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.SubPixelUpsampling")
class SubPixelUpsampling(keras.layers.Layer):
    """Turns `[N, H, W, C * scale**2]` into `[N, H * scale, W * scale, C]`.

    Each output `scale x scale` block is read from the channels of one input
    pixel, in `tf.nn.depth_to_space` order (PyTorch's `PixelShuffle` orders the
    channels differently, so converted PyTorch weights need their output
    channels permuted). A convolution followed by this layer is the sub-pixel
    convolution of ESPCN / SRGAN.

    Args:
        scale: the upsampling factor, an int >= 2.
    """

    def __init__(self, scale: int = 2, **kwargs):
        super().__init__(**kwargs)
        if isinstance(scale, bool) or int(scale) != scale or int(scale) < 2:
            raise ValueError(f"scale must be an int >= 2. Received: scale={scale!r}")
        self.scale = int(scale)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"SubPixelUpsampling expects NHWC inputs of rank 4. Received: input_shape={input_shape}"
            )
        channels = input_shape[-1]
        if channels is not None and channels % self.scale**2:
            raise ValueError(
                f"SubPixelUpsampling(scale={self.scale}) needs input channels divisible by "
                f"scale**2 = {self.scale**2}. Received: input_shape={input_shape}"
            )
        super().build(input_shape)

    def call(self, inputs):
        return tf.nn.depth_to_space(inputs, self.scale)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        s = self.scale
        return (
            batch,
            None if height is None else height * s,
            None if width is None else width * s,
            None if channels is None else channels // s**2,
        )

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}
