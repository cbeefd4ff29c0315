"""`SpatialConcatenate`: a per-example vector tiled over a feature map and concatenated to it."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.SpatialConcatenate")
class SpatialConcatenate(keras.layers.Layer):
    """Concatenates a vector per example, repeated at every pixel, to a feature map.

    Called on `[features, vectors]` with `features` [N, H, W, C] and `vectors` [N, D];
    returns [N, H, W, C + D] whose last D channels hold each example's vector at
    every position (StarGAN's target-domain conditioning). H and W may be unknown
    until the call.
    """

    def call(self, inputs):
        features, vectors = inputs
        vectors = ops.cast(vectors, features.dtype)
        shape = ops.shape(features)
        tiled = ops.broadcast_to(
            vectors[:, None, None, :], (shape[0], shape[1], shape[2], ops.shape(vectors)[-1])
        )
        return ops.concatenate([features, tiled], axis=-1)

    def compute_output_shape(self, input_shape):
        features, vectors = input_shape
        channels = None if None in (features[-1], vectors[-1]) else features[-1] + vectors[-1]
        return (*features[:-1], channels)
