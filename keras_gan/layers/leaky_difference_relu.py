"""ReLU written with ops that XNNPACK runs in int8."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.LeakyDifferenceReLU")
class LeakyDifferenceReLU(keras.layers.Layer):
    """`max(x, 0)` computed as `(leaky_relu(x, slope) - slope * x) / (1 - slope)`.

    Equal to ReLU up to float rounding. It exists for int8 TFLite: XNNPACK delegates
    int8 LEAKY_RELU, MUL and SUB, but not an int8 RELU that stands alone (one the
    converter cannot fuse into the op before it, as after a concatenation). Such a
    RELU splits the delegated graph and runs on TFLite's slower builtin kernels. The
    int8 export swaps those ReLU layers for this one (`keras_gan.export.int8_relu`);
    models train with plain ReLU.

    Args:
        slope: the leaky slope, in (0, 1). XNNPACK refuses int8 slopes it cannot
            represent (0 or 1e-6 are refused; 0.01 and up are taken).
    """

    def __init__(self, slope: float = 0.2, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 < slope < 1.0:
            raise ValueError(f"slope must be in (0, 1). Received: slope={slope!r}")
        self.slope = float(slope)

    def call(self, inputs):
        leaky = ops.leaky_relu(inputs, negative_slope=self.slope)
        return (leaky - self.slope * inputs) * (1.0 / (1.0 - self.slope))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "slope": self.slope}
