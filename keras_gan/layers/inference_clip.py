"""A clip to the image range that applies at inference only."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.InferenceClip")
class InferenceClip(keras.layers.Layer):
    """Clips to `[minimum, maximum]` at inference; passes values through unchanged in training.

    A linear output trains better than tanh (ESRGAN's finding), but then a few
    pixels overshoot the image range. Clipping during training would zero their
    gradients, so the clip only applies when `training` is false: in `predict`,
    evaluation and every exported model (`MINIMUM`/`MAXIMUM` in TFLite).

    Args:
        minimum, maximum: the range kept.
    """

    def __init__(self, minimum: float = -1.0, maximum: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        if not float(minimum) < float(maximum):
            raise ValueError(
                f"minimum must be below maximum. Received: minimum={minimum!r}, maximum={maximum!r}"
            )
        self.minimum = float(minimum)
        self.maximum = float(maximum)

    def call(self, inputs, training=False):
        if training:
            return inputs
        return ops.clip(inputs, self.minimum, self.maximum)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "minimum": self.minimum, "maximum": self.maximum}
