"""The part that Fréchet and kernel distances share: a Keras metric over image features."""

from collections.abc import Callable

import keras
import tensorflow as tf


def infer_feature_dim(feature_extractor: Callable, feature_dim: int | None) -> int:
    """`feature_dim`, or `D` read from the extractor's `[N, D]` `output_shape`."""
    if feature_dim is not None:
        return int(feature_dim)
    output_shape = getattr(feature_extractor, "output_shape", None)
    if output_shape is None or len(output_shape) != 2 or output_shape[-1] is None:
        raise ValueError(
            "Pass `feature_dim`: it cannot be inferred from a feature extractor without "
            f"a [N, D] `output_shape`. Received output_shape: {output_shape}"
        )
    return int(output_shape[-1])


class FeatureMetric(keras.metrics.Metric):
    """A metric comparing the features of real and generated images (a base class).

    Subclasses keep what they need of the features in variables (`update_state`) and say
    in `feature_dtype` which dtype they compute them in.

    Args:
        feature_extractor: maps images to features `[N, D]`: a Keras model/layer (called
            with `training=False`) or any callable.
        feature_dim: `D`; inferred from `feature_extractor.output_shape` when not given.
        name, dtype: as for any Keras metric.
    """

    feature_dtype = tf.float32

    def __init__(
        self, feature_extractor: Callable, feature_dim: int | None = None, name=None, dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if not callable(feature_extractor):
            raise ValueError(
                f"`feature_extractor` must be callable. Received: {type(feature_extractor)}"
            )
        self.feature_extractor = feature_extractor
        self.feature_dim = infer_feature_dim(feature_extractor, feature_dim)

    def extract_features(self, images) -> tf.Tensor:
        """Returns the features `[N, D]` of `images` in `feature_dtype`, checking their shape."""
        if isinstance(self.feature_extractor, keras.layers.Layer):
            features = self.feature_extractor(images, training=False)
        else:
            features = self.feature_extractor(images)
        features = tf.cast(features, self.feature_dtype)
        if features.shape.rank != 2 or features.shape[-1] not in (None, self.feature_dim):
            raise ValueError(
                f"`feature_extractor` must return features [N, {self.feature_dim}]. "
                f"Received shape: {features.shape}"
            )
        return features

    def get_config(self) -> dict:
        """Returns the constructor arguments; the extractor must be a Keras layer or model.

        As with any `get_config`, the extractor's architecture is recorded, not its weights.
        """
        if not isinstance(self.feature_extractor, keras.layers.Layer):
            raise TypeError(
                f"`{type(self).__name__}.get_config()` needs a Keras layer or model as "
                f"`feature_extractor`. Received: {type(self.feature_extractor)}"
            )
        config = super().get_config()
        config.update(
            feature_extractor=keras.saving.serialize_keras_object(self.feature_extractor),
            feature_dim=self.feature_dim,
        )
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["feature_extractor"] = keras.saving.deserialize_keras_object(
            config["feature_extractor"]
        )
        return cls(**config)
