"""Runners every GAN family's test calls with its own tiny configuration.

Each runner asserts real behaviour: output shapes and ranges, a training step
with finite losses that moves both networks, identical samples after a config
or `.keras` round trip.
"""

import json
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gan.data import load_fashion_mnist
from keras_gan.metrics.fashion_classifier import preprocess_images


def fashion_mnist_batch(n: int = 64, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` real Fashion-MNIST training images [n, 28, 28, 1] in [-1, 1] and their labels."""
    images, labels = load_fashion_mnist("train")
    images = preprocess_images(images[offset : offset + n])
    return images, labels[offset : offset + n].astype("int32")


def _as_json(config: dict) -> dict:
    """The config as it reads back from a file (tuples become lists)."""
    return json.loads(json.dumps(config))


def _dataset(model, images, labels, batch_size):
    data = (images, labels) if model.num_classes else images
    return tf.data.Dataset.from_tensor_slices(data).batch(batch_size, drop_remainder=True)


def run_generate_runner(model, image_shape: tuple[int, int, int]) -> None:
    """`generate` gives [n, *image_shape] in [-1, 1], equal for equal seeds, different otherwise."""
    first = model.generate(6, seed=11)
    assert first.shape == (6, *image_shape), first.shape
    assert first.dtype == np.float32
    assert np.all(np.isfinite(first)) and first.min() >= -1.0 and first.max() <= 1.0
    np.testing.assert_array_equal(first, model.generate(6, seed=11))
    assert not np.allclose(first, model.generate(6, seed=12))


def run_fit_runner(model, images, labels, batch_size: int = 16, steps: int = 2) -> dict:
    """One short `fit`: stable, finite loss keys; both networks' weights move."""
    model.compile()
    g_before = [w.copy() for w in model.generator.get_weights()]
    d_before = [w.copy() for w in model.discriminator.get_weights()]
    dataset = _dataset(model, images, labels, batch_size).take(steps)
    validation = _dataset(model, images, labels, batch_size).take(1)
    history = model.fit(dataset, epochs=1, verbose=0, validation_data=validation)
    logs = {k: v[-1] for k, v in history.history.items()}
    names = model.loss_names()
    assert sorted(logs) == sorted(names + [f"val_{n}" for n in names]), sorted(logs)
    assert all(np.isfinite(v) for v in logs.values()), logs
    for name, before, after in (
        ("generator", g_before, model.generator.get_weights()),
        ("discriminator", d_before, model.discriminator.get_weights()),
    ):
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(before, after, strict=True))
        assert moved > 0, f"the {name}'s weights did not change"
    evaluation = model.evaluate(
        _dataset(model, images, labels, batch_size), verbose=0, return_dict=True
    )
    assert sorted(evaluation) == sorted(model.loss_names())
    return logs


def run_serialization_runner(model) -> None:
    """`from_config(get_config())` rebuilds the same architecture and, with weights, the same samples."""
    config = model.get_config()
    clone = type(model).from_config(config)
    assert _as_json(clone.get_config()) == _as_json(config)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.generate(4, seed=3), model.generate(4, seed=3), atol=1e-6)


def run_saving_runner(model, tmp_path: Path) -> keras.Model:
    """`.keras` save and load: same class, config, samples and optimizer state."""
    path = Path(tmp_path) / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is type(model)
    assert _as_json(loaded.get_config()) == _as_json(model.get_config())
    np.testing.assert_array_equal(loaded.generate(8, seed=5), model.generate(8, seed=5))
    if getattr(model, "g_optimizer", None) is not None:
        assert int(loaded.g_optimizer.iterations) == int(model.g_optimizer.iterations)
        assert int(loaded.d_optimizer.iterations) == int(model.d_optimizer.iterations)
        for a, b in zip(model.d_optimizer.variables, loaded.d_optimizer.variables, strict=True):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    return loaded
