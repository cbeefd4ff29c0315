"""Reflection padding, built from slices and concatenations.

`ops.pad(mode="reflect")` becomes TFLite's `MIRROR_PAD`, which the XNNPACK delegate
does not run: each one splits the graph and runs on the reference kernels (in the
style transfer network, 12 partitions; float32 46.6 ms -> 24 ms, int8 35 ms -> 7.5 ms
at 128x128, 2 threads, when the mirrored rows and columns are slices instead).
XNNPACK delegates `STRIDED_SLICE` and `CONCATENATION` of at most 4 inputs, float and
int8. Outputs are identical to `ops.pad(mode="reflect")`.
"""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export

# XNNPACK delegates a CONCATENATION of at most 4 inputs; more splits the graph.
_MAX_CONCATENATED = 4


def _concatenate(tensors: list, axis: int):
    while len(tensors) > 1:
        groups = [
            tensors[i : i + _MAX_CONCATENATED] for i in range(0, len(tensors), _MAX_CONCATENATED)
        ]
        tensors = [ops.concatenate(g, axis=axis) if len(g) > 1 else g[0] for g in groups]
    return tensors[0]


def _mirror(x, padding: int, axis: int):
    """`x` with `padding` rows (axis 1) or columns (axis 2) mirrored on both sides."""

    def take(start, stop):
        return x[:, start:stop] if axis == 1 else x[:, :, start:stop]

    before = [take(i, i + 1) for i in range(padding, 0, -1)]
    after = [take(-1 - i, -i) for i in range(1, padding + 1)]
    return _concatenate([_concatenate(before, axis), x, _concatenate(after, axis)], axis)


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
        for side in inputs.shape[1:3]:
            if side is not None and side <= p:
                raise ValueError(
                    f"Reflection padding needs sides larger than padding={p}. "
                    f"Received: input shape {tuple(inputs.shape)}"
                )
        if p == 0:
            return inputs
        return _mirror(_mirror(inputs, p, 1), p, 2)

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
