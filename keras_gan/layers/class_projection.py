"""The projection term of a class-conditional discriminator (Miyato & Koyama, 2018)."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.ClassProjection")
class ClassProjection(keras.layers.Layer):
    """Returns `<embed(y), phi(x)>` with shape [N, 1] for `[features [N, D], labels [N]]`.

    Added to an unconditional logit, it makes the discriminator's output depend on
    whether image and label belong together.

    Args:
        num_classes: number of classes.
        spectral_norm: constrain the embedding with spectral normalization of its
            matrix (as SNGAN's projection discriminator does); the normalization
            uses one power iteration per training call.
    """

    def __init__(self, num_classes: int, spectral_norm: bool = False, **kwargs):
        super().__init__(**kwargs)
        if int(num_classes) < 1:
            raise ValueError(f"num_classes must be >= 1. Received: num_classes={num_classes}")
        self.num_classes = int(num_classes)
        self.spectral_norm = spectral_norm

    def build(self, input_shape):
        dim = input_shape[0][-1]
        self.embeddings = self.add_weight(
            shape=(self.num_classes, dim),
            initializer=keras.initializers.RandomNormal(stddev=0.02),
            name="embeddings",
        )
        if self.spectral_norm:
            self.power_vector = self.add_weight(
                shape=(1, dim),
                initializer=keras.initializers.RandomNormal(),
                trainable=False,
                name="power_vector",
            )

    def _normalized_embeddings(self, training):
        # The power iteration runs in float32, also under mixed precision.
        w = ops.cast(self.embeddings, "float32")
        u = ops.cast(self.power_vector, "float32")
        v = ops.normalize(ops.matmul(u, ops.transpose(w)), axis=-1, epsilon=1e-12)
        u_new = ops.normalize(ops.matmul(v, w), axis=-1, epsilon=1e-12)
        u_new = ops.stop_gradient(u_new)
        v = ops.stop_gradient(v)
        sigma = ops.sum(ops.matmul(v, w) * u_new)
        if training:
            self.power_vector.assign(u_new)
        return w / sigma

    def call(self, inputs, training=None):
        features, labels = inputs
        labels = ops.cast(ops.reshape(labels, (-1,)), "int32")
        table = self._normalized_embeddings(training) if self.spectral_norm else self.embeddings
        embedded = ops.take(table, labels, axis=0)
        embedded = ops.cast(embedded, features.dtype)
        return ops.sum(embedded * features, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], 1)

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes, "spectral_norm": self.spectral_norm})
        return config
