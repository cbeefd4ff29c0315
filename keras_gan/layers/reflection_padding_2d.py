"""Reflection padding (`MIRROR_PAD` in TFLite, `Pad` mode `reflect` in ONNX)."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.ReflectionPadding2D")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads height and width of NHWC images by mirroring, without repeating the edge.

    The same as PyTorch's `nn.ReflectionPad2d(padding)`: each side must be
    smaller than the image side it pads.

    Args:
        padding: pixels added on each of the four sides.
    """

    def __init__(self, padding: int = 1, **kwargs):
        super().__init__(**kwargs)
        if int(padding) < 0:
            raise ValueError(f"padding must be >= 0. Received: padding={padding}")
        self.padding = int(padding)

    def call(self, inputs):
        p = self.padding
        return ops.pad(inputs, [[0, 0], [p, p], [p, p], [0, 0]], mode="reflect")

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        grow = 2 * self.padding
        return (
            batch,
            None if height is None else height + grow,
            None if width is None else width + grow,
            channels,
        )

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}
