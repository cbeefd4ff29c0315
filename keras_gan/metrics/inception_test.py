import h5py
import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.metrics.inception import (
    INCEPTION_FILENAMES,
    PrepareImages,
    find_inception_weights,
    inception_features,
    inception_probabilities,
    inception_score,
)
from keras_gan.perceptual.weights import MissingWeightsError

NOTOP = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"


def direct_inception_score(p: np.ndarray) -> float:
    """exp(E_x KL(p(y|x) || p(y))) for one split, written out with loops."""
    marginal = p.mean(axis=0)
    total = 0.0
    for row in p:
        total += sum(row[k] * np.log(row[k] / marginal[k]) for k in range(len(row)) if row[k] > 0)
    return float(np.exp(total / len(p)))


def test_uniform_predictions_score_one():
    mean, std = inception_score(np.full((50, 10), 0.1), splits=5)
    assert mean == pytest.approx(1.0) and std == pytest.approx(0.0)


def test_confident_predictions_spread_over_k_classes_score_k():
    one_hot = np.eye(7)[np.arange(70) % 7]
    mean, std = inception_score(one_hot, splits=10)
    assert mean == pytest.approx(7.0) and std == pytest.approx(0.0, abs=1e-12)
    # All mass on one class: no diversity, score 1.
    assert inception_score(np.eye(7)[np.zeros(20, int)], splits=2)[0] == pytest.approx(1.0)


def test_matches_direct_computation_on_dirichlet_rows():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.full(12, 0.3), size=60)
    expected = [direct_inception_score(part) for part in (p[:20], p[20:40], p[40:])]
    mean, std = inception_score(p, splits=3)
    assert mean == pytest.approx(np.mean(expected), rel=1e-10)
    assert std == pytest.approx(np.std(expected), rel=1e-8)


@pytest.mark.parametrize(
    "probabilities, splits, message",
    [
        (np.full((4, 3), 0.5), 1, "sum to 1"),
        (np.array([[1.5, -0.5], [0.5, 0.5]]), 1, "non-negative"),
        (np.full((4,), 0.25), 1, r"matrix \[N, K\]"),
        (np.full((4, 2), 0.5), 5, "splits"),
    ],
)
def test_bad_probabilities_raise(probabilities, splits, message):
    with pytest.raises(ValueError, match=message):
        inception_score(probabilities, splits=splits)


def test_prepare_images():
    rgb = np.random.default_rng(1).uniform(-1, 1, (2, 4, 6, 3)).astype("float32")
    gray = np.asarray(PrepareImages(1)(rgb))
    np.testing.assert_allclose(gray[..., 0], rgb @ np.array([0.299, 0.587, 0.114]), atol=1e-6)
    np.testing.assert_array_equal(np.asarray(PrepareImages(3)(gray)), np.repeat(gray, 3, -1))
    np.testing.assert_array_equal(np.asarray(PrepareImages(3, (4, 6))(rgb)), rgb)
    resized = np.asarray(PrepareImages(3, (8, 9))(rgb))
    np.testing.assert_allclose(resized, tf.image.resize(rgb, (8, 9)).numpy(), atol=1e-6)
    config = PrepareImages(1, (8, 9)).get_config()
    restored = PrepareImages.from_config(config)
    assert (restored.channels, restored.size) == (1, (8, 9))
    assert PrepareImages(1, (8, 9)).compute_output_shape((None, 4, 6, 3)) == (None, 8, 9, 1)
    with pytest.raises(ValueError, match="channels=2"):
        PrepareImages(2)
    with pytest.raises(ValueError, match=r"C = 1 or 3"):
        PrepareImages(3)(np.zeros((1, 4, 4, 2), "float32"))


def test_find_weights_search_order_and_missing_message(tmp_path, monkeypatch):
    cache, keras_home = tmp_path / "cache", tmp_path / "keras_home"
    (keras_home / "models").mkdir(parents=True)
    cache.mkdir()
    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(cache))
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.delenv("KERAS_GAN_INCEPTION_WEIGHTS", raising=False)
    with pytest.raises(MissingWeightsError) as info:
        find_inception_weights()
    message = str(info.value)
    assert NOTOP in message and str(cache) in message and str(keras_home / "models") in message
    assert "keras.applications.InceptionV3(include_top=False)" in message
    with pytest.raises(MissingWeightsError, match="tf_kernels.h5"):
        find_inception_weights(include_top=True)

    (keras_home / "models" / NOTOP).write_bytes(b"")
    assert find_inception_weights() == keras_home / "models" / NOTOP
    (cache / NOTOP).write_bytes(b"")
    assert find_inception_weights() == cache / NOTOP  # the cache comes first
    assert find_inception_weights(path=keras_home / "models") == keras_home / "models" / NOTOP

    monkeypatch.setenv("KERAS_GAN_INCEPTION_WEIGHTS", str(tmp_path / "nowhere.h5"))
    with pytest.raises(MissingWeightsError, match="KERAS_GAN_INCEPTION_WEIGHTS"):
        find_inception_weights()  # a set variable naming nothing is an error, no fallback
    with pytest.raises(MissingWeightsError, match="nowhere_else"):
        inception_features(weights=tmp_path / "nowhere_else")


def _pool3_reference(network: keras.Model, images: np.ndarray) -> np.ndarray:
    """Bilinear resize to 299, the Keras application without pooling, spatial mean."""
    resized = tf.image.resize(images, (299, 299), method="bilinear")
    return np.asarray(network(resized, training=False)).mean(axis=(1, 2))


@pytest.mark.slow  # about 10 s alone, 20 s on a busy machine: three InceptionV3 builds
def test_features_load_keras_legacy_and_keras3_weight_files(tmp_path, monkeypatch):
    keras.utils.set_random_seed(0)
    # What keras.applications would save, from random weights.
    network = keras.applications.InceptionV3(include_top=False, weights=None)
    legacy_dir = tmp_path / "cache"
    legacy_dir.mkdir()
    with h5py.File(legacy_dir / NOTOP, "w") as file:
        from keras.src.legacy.saving import legacy_h5_format

        legacy_h5_format.save_weights_to_hdf5_group(file, network)
    keras3_file = tmp_path / "inception_v3_notop.weights.h5"
    network.save_weights(keras3_file)

    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (2, 75, 75, 3)).astype("float32")
    expected = _pool3_reference(network, images)

    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(legacy_dir))
    monkeypatch.delenv("KERAS_GAN_INCEPTION_WEIGHTS", raising=False)
    from_legacy = inception_features()  # "default": finds the legacy file in the cache dir
    assert from_legacy.output_shape == (None, 2048)
    got = np.asarray(from_legacy(images))
    assert got.shape == (2, 2048)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)

    from_keras3 = inception_features(weights=keras3_file)
    np.testing.assert_array_equal(np.asarray(from_keras3(images)), got)
    gray = images[..., :1]
    np.testing.assert_array_equal(
        np.asarray(from_keras3(gray)), np.asarray(from_keras3(np.repeat(gray, 3, -1)))
    )
    # Calls never update the batch-norm statistics (inference mode throughout).
    np.testing.assert_array_equal(np.asarray(from_keras3(images)), got)
    np.testing.assert_allclose(from_legacy.predict(images, verbose=0), got, rtol=1e-5, atol=1e-6)


def test_probabilities_model_shapes():
    keras.utils.set_random_seed(1)
    model = inception_probabilities(weights=None)
    probabilities = np.asarray(model(np.zeros((2, 40, 40, 1), "float32")))
    assert probabilities.shape == (2, 1000)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert INCEPTION_FILENAMES[True] == "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
