"""Class-conditional batch normalization (de Vries et al.; Miyato & Koyama)."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.ConditionalBatchNormalization")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalization whose scale and offset are looked up from the class label.

    Call it on `[features, labels]`: features of any rank with channels last,
    labels int [N]. The per-class gamma starts at 1 and beta at 0, so an untrained
    layer equals plain batch normalization.

    Args:
        num_classes: number of classes.
        momentum, epsilon: as in `keras.layers.BatchNormalization`.
        synchronized: synchronise batch statistics across replicas under a
            `tf.distribute` strategy, so the result matches one device.
    """

    def __init__(
        self,
        num_classes: int,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        synchronized: bool = True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(num_classes) < 1:
            raise ValueError(f"num_classes must be >= 1. Received: num_classes={num_classes}")
        self.num_classes = int(num_classes)
        self.momentum = momentum
        self.epsilon = epsilon
        self.synchronized = synchronized
        self.batch_norm = keras.layers.BatchNormalization(
            momentum=momentum,
            epsilon=epsilon,
            center=False,
            scale=False,
            synchronized=synchronized,
            # The normalization follows this layer's policy (not the global one), so its
            # output is in this layer's compute dtype.
            dtype=self.dtype_policy,
            name="batch_norm",
        )

    def build(self, input_shape):
        feature_shape = input_shape[0]
        channels = feature_shape[-1]
        self.batch_norm.build(feature_shape)
        self.gamma = self.add_weight(
            shape=(self.num_classes, channels), initializer="ones", name="gamma"
        )
        self.beta = self.add_weight(
            shape=(self.num_classes, channels), initializer="zeros", name="beta"
        )

    def call(self, inputs, training=None):
        features, labels = inputs
        normalized = self.batch_norm(features, training=training)
        labels = ops.cast(ops.reshape(labels, (-1,)), "int32")
        gamma = ops.take(self.gamma, labels, axis=0)
        beta = ops.take(self.beta, labels, axis=0)
        # Broadcast [N, C] over the spatial axes.
        for _ in range(len(features.shape) - 2):
            gamma = ops.expand_dims(gamma, 1)
            beta = ops.expand_dims(beta, 1)
        return normalized * ops.cast(gamma, normalized.dtype) + ops.cast(beta, normalized.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_classes": self.num_classes,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "synchronized": self.synchronized,
            }
        )
        return config
