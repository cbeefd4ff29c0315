import gzip
import os

import numpy as np
import pytest

from keras_gan.data.fashion_mnist import load_fashion_mnist
from keras_gan.metrics import fashion_classifier as fc
from keras_gan.metrics.frechet import FrechetDistance, frechet_distance_from_features


def _write_idx(path: str, array: np.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_fashion_dir(tmp_path):
    """A fake Fashion-MNIST folder: 256 train and 64 test random images."""
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 256), ("t10k", 64)):
        _write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)))
        _write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, 10, (n,)))
    return str(tmp_path)


def test_shapes_and_feature_dim():
    model = fc.build_fashion_classifier()
    images = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    assert model.input_shape == (None, 28, 28, 1)
    assert model(images).shape == (3, 10)
    features = fc.fashion_features(model)
    assert features.output_shape == (None, 128)
    assert features(images).shape == (3, 128)
    assert FrechetDistance(features).feature_dim == 128
    assert fc.fashion_features(fc.build_fashion_classifier(feature_dim=64)).output_shape[-1] == 64


def test_fashion_features_needs_feature_layer():
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="no layer named 'features'"):
        fc.fashion_features(model)


def test_preprocess_images_range():
    images = np.array([[[0] * 28] * 28, [[255] * 28] * 28], np.uint8)
    out = fc.preprocess_images(images)
    assert out.shape == (2, 28, 28, 1) and out.dtype == np.float32
    assert out.min() == -1.0 and out.max() == 1.0
    with pytest.raises(ValueError, match="28, 28"):
        fc.preprocess_images(np.zeros((2, 32, 32), np.uint8))


def test_default_path_uses_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(tmp_path))
    assert fc.default_classifier_path() == os.path.join(str(tmp_path), "fashion_classifier.keras")
    with pytest.raises(FileNotFoundError, match="train_fashion_classifier"):
        fc.load_fashion_classifier(train_if_missing=False)


def test_train_save_load_flow_on_tiny_data(tiny_fashion_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(tmp_path / "cache"))
    model = fc.load_fashion_classifier(epochs=1, data_dir=tiny_fashion_dir, verbose=0)
    path = fc.default_classifier_path()
    assert os.path.exists(path) and sorted(os.listdir(tmp_path / "cache")) == [
        "fashion_classifier.json",
        "fashion_classifier.keras",
    ]
    report = fc.load_classifier_report()
    assert 0.0 <= report["test_accuracy"] <= 1.0 and report["num_test"] == 64
    loaded = fc.load_fashion_classifier(train_if_missing=False)
    images, labels = load_fashion_mnist("test", tiny_fashion_dir)
    x = fc.preprocess_images(images)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
    accuracy = fc.evaluate_fashion_classifier(loaded, images, labels)
    assert accuracy == pytest.approx(report["test_accuracy"], abs=1e-6)
    with pytest.raises(ValueError, match="'.keras'"):
        fc.train_fashion_classifier(path=str(tmp_path / "model.h5"))


@pytest.mark.slow
def test_trained_classifier_reaches_90_percent(fashion_classifier):
    """The cached classifier (trained by the fixture in a fresh clone, ~2 min) on the 10k test split."""
    model = fashion_classifier
    accuracy = fc.evaluate_fashion_classifier(model)
    print(f"Fashion-MNIST test accuracy {accuracy:.4f}")
    assert accuracy >= 0.90
    assert fc.load_classifier_report()["test_accuracy"] == pytest.approx(accuracy, abs=1e-4)

    # The features separate real images from noise: real-vs-real FD is far below real-vs-noise.
    features = fc.fashion_features(model)
    test_images, _ = load_fashion_mnist("test")
    train_images, _ = load_fashion_mnist("train")
    real_a = features.predict(fc.preprocess_images(test_images[:2000]), verbose=0)
    real_b = features.predict(fc.preprocess_images(train_images[:2000]), verbose=0)
    noise = np.random.default_rng(0).uniform(-1, 1, (2000, 28, 28, 1)).astype("float32")
    fd_real = frechet_distance_from_features(real_a, real_b)
    fd_noise = frechet_distance_from_features(real_a, features.predict(noise, verbose=0))
    print(f"FD real/real {fd_real:.3f}, real/noise {fd_noise:.3f}")
    assert fd_real < 0.1 * fd_noise
