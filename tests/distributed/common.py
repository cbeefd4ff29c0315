"""Shared pieces of the distributed-training scripts (run as subprocesses by the tests).

Nothing here touches TensorFlow at import time, so a script can configure its
logical devices or create its strategy before TF initialises its runtime.
"""

import numpy as np

# A tiny configuration shared by every scenario.
CONFIG = {"image_size": 28, "channels": 1, "base_filters": 8, "latent_dim": 16}
GLOBAL_BATCH = 16


def read_fashion_mnist(count: int) -> np.ndarray:
    """The first `count` real training images as float32 [count, 28, 28, 1] in [-1, 1].

    Imported lazily: the loader reads idx files with NumPy and runs no TF op, so the
    scripts can still set up devices or strategies first. Raises if the data is missing.
    """
    from keras_gan.data.fashion_mnist import load_fashion_mnist
    from keras_gan.metrics.fashion_classifier import preprocess_images

    images, _ = load_fashion_mnist("train")
    return preprocess_images(images[:count])


def build_model(family: str):
    """A tiny DCGAN or WGAN-GP (created in the current strategy scope, if any)."""
    from keras_gan.models.dcgan import DCGAN
    from keras_gan.models.wgan_gp.wgan_gp_gan import WGANGP

    if family == "dcgan":
        return DCGAN(**CONFIG)
    if family == "wgan_gp":
        # Two critic steps per generator step (default 5) keep the traced
        # step small; more than one still covers the per-step noise seeds.
        return WGANGP(**CONFIG, d_steps=2)
    raise ValueError(f"unknown family {family!r}")


def make_dataset(images: np.ndarray, auto_shard_policy=None):
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices(images).batch(GLOBAL_BATCH, drop_remainder=True)
    if auto_shard_policy is not None:
        options = tf.data.Options()
        options.experimental_distribute.auto_shard_policy = auto_shard_policy
        dataset = dataset.with_options(options)
    return dataset


# The optimizers the equivalence runs use: the family's defaults (Adam), and
# plain SGD, whose update is proportional to the gradient, so it also checks the
# loss scaling over replicas (Adam's update is invariant to the loss scale).
OPTIMIZERS = ("adam", "sgd")
SGD_LEARNING_RATE = 0.01


def train(model, dataset, optimizer: str = "adam") -> None:
    import keras

    if optimizer == "adam":
        model.compile()
    elif optimizer == "sgd":
        model.compile(
            g_optimizer=keras.optimizers.SGD(SGD_LEARNING_RATE),
            d_optimizer=keras.optimizers.SGD(SGD_LEARNING_RATE),
        )
    else:
        raise ValueError(f"unknown optimizer {optimizer!r}")
    model.fit(dataset, epochs=1, shuffle=False, verbose=0)


def gradient_free_weights(model) -> list[str]:
    """Keys (`g|d/<path>`) of weights driven only by float rounding noise.

    A bias added right before a BatchNormalization is removed again by the
    normalisation, so its gradient is zero up to rounding (~1e-7 relative).
    Adam divides each gradient element by its own running RMS, which turns such
    noise into updates of up to the learning rate with an arbitrary sign, and
    the next BN's `moving_mean` tracks that bias. These weights take no part in
    what the networks compute in training; their Adam trajectories depend on
    the summation order and cannot be compared across replica counts.
    """
    import keras

    keys = []
    for key, net in (("g", model.generator), ("d", model.discriminator)):
        for layer in net.layers:
            if not isinstance(layer, keras.layers.BatchNormalization):
                continue
            parent = layer.input._keras_history.operation
            bias = getattr(parent, "bias", None)
            if bias is not None:
                keys += [f"{key}/{bias.path}", f"{key}/{layer.moving_mean.path}"]
    return keys


def weights_of(model, prefix: str) -> dict:
    """{prefix/g|d/<variable path>: array} for all generator and discriminator weights."""
    out = {}
    for key, net in (("g", model.generator), ("d", model.discriminator)):
        for variable in net.weights:
            out[f"{prefix}/{key}/{variable.path}"] = np.asarray(variable.numpy())
    return out
