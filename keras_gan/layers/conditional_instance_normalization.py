"""Conditional instance normalization (Dumoulin et al., 2017): one scale and offset per style."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.ConditionalInstanceNormalization")
class ConditionalInstanceNormalization(keras.layers.Layer):
    """Instance normalization whose scale and offset are chosen by a style.

    Each image's channels are normalized over height and width, then scaled
    and shifted by the `gamma` and `beta` rows of its style
    (`gamma, beta: [num_styles, C]`). One network with this layer learns
    `num_styles` styles at the cost of `2 * num_styles * C` parameters per
    layer.

    Call it on `[features, style]`, features `[N, H, W, C]` and style either

    - int style indices `[N]`: row `style[i]` of `gamma` and `beta` (a
      `GATHER` in TFLite), or
    - float style weights `[N, num_styles]`: `weights @ gamma` and
      `weights @ beta`, the convex combination Dumoulin et al. use to
      interpolate between styles (a one-hot row equals the index).

    `gamma` starts at 1 and `beta` at 0, so an untrained layer is plain
    instance normalization for every style. Only reductions, elementwise ops
    and a gather or matmul: the layer converts to TFLite builtin ops.

    Args:
        num_styles: number of styles.
        epsilon: added to the variance before the square root.
    """

    def __init__(self, num_styles: int, epsilon: float = 1e-5, **kwargs):
        super().__init__(**kwargs)
        if int(num_styles) < 1:
            raise ValueError(f"num_styles must be >= 1. Received: num_styles={num_styles}")
        if float(epsilon) <= 0:
            raise ValueError(f"epsilon must be > 0. Received: epsilon={epsilon}")
        self.num_styles = int(num_styles)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        feature_shape, style_shape = input_shape
        if len(feature_shape) != 4 or feature_shape[-1] is None:
            raise ValueError(
                "ConditionalInstanceNormalization expects features [N, H, W, C] with a known C. "
                f"Received: features shape={feature_shape}"
            )
        if len(style_shape) == 2 and style_shape[-1] not in (None, self.num_styles):
            raise ValueError(
                f"Style weights must be [N, num_styles={self.num_styles}]. "
                f"Received: style shape={style_shape}"
            )
        if len(style_shape) not in (1, 2):
            raise ValueError(
                "The style input must be indices [N] or weights [N, num_styles]. "
                f"Received: style shape={style_shape}"
            )
        channels = feature_shape[-1]
        self.gamma = self.add_weight(
            shape=(self.num_styles, channels), initializer="ones", name="gamma"
        )
        self.beta = self.add_weight(
            shape=(self.num_styles, channels), initializer="zeros", name="beta"
        )

    def call(self, inputs):
        features, style = inputs
        mean = ops.mean(features, axis=(1, 2), keepdims=True)
        centered = features - mean
        variance = ops.mean(ops.square(centered), axis=(1, 2), keepdims=True)
        normalized = centered * ops.rsqrt(variance + self.epsilon)
        if len(style.shape) == 1:
            indices = ops.cast(style, "int32")
            gamma = ops.take(self.gamma, indices, axis=0)
            beta = ops.take(self.beta, indices, axis=0)
        else:
            weights = ops.cast(style, self.gamma.dtype)
            gamma = ops.matmul(weights, self.gamma)
            beta = ops.matmul(weights, self.beta)
        # [N, C] -> [N, 1, 1, C], broadcast over height and width.
        gamma = ops.cast(gamma[:, None, None, :], normalized.dtype)
        beta = ops.cast(beta[:, None, None, :], normalized.dtype)
        return normalized * gamma + beta

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "num_styles": self.num_styles, "epsilon": self.epsilon}
