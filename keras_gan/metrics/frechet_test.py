import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import linalg

from keras_gan.metrics.frechet import (
    FrechetDistance,
    frechet_distance,
    frechet_distance_from_features,
)


def _random_gaussian(rng: np.random.Generator, dim: int) -> tuple[np.ndarray, np.ndarray]:
    mean = rng.normal(size=dim)
    a = rng.normal(size=(dim, dim))
    return mean, a @ a.T / dim + 0.1 * np.eye(dim)


def _direct_frechet(mu1, sigma1, mu2, sigma2) -> float:
    """The textbook formula, written out independently of the module."""
    root = linalg.sqrtm(sigma1 @ sigma2).real
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(sigma1 + sigma2 - 2.0 * root))


def test_distance_of_a_set_with_itself_is_zero():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(500, 16)) * 3.0 + 1.0
    scale = np.trace(np.cov(features, rowvar=False))
    assert abs(frechet_distance_from_features(features, features)) < 1e-6 * scale
    mu, sigma = _random_gaussian(rng, 32)
    assert abs(frechet_distance(mu, sigma, mu, sigma)) < 1e-6 * np.trace(sigma)


def test_matches_direct_computation():
    rng = np.random.default_rng(1)
    mu1, sigma1 = _random_gaussian(rng, 24)
    mu2, sigma2 = _random_gaussian(rng, 24)
    expected = _direct_frechet(mu1, sigma1, mu2, sigma2)
    np.testing.assert_allclose(frechet_distance(mu1, sigma1, mu2, sigma2), expected, rtol=1e-9)

    a = rng.multivariate_normal(mu1, sigma1, size=400)
    b = rng.multivariate_normal(mu2, sigma2, size=300)
    expected = _direct_frechet(
        a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False)
    )
    np.testing.assert_allclose(frechet_distance_from_features(a, b), expected, rtol=1e-9)


def test_closed_form_for_diagonal_gaussians():
    rng = np.random.default_rng(2)
    mu1, mu2 = rng.normal(size=10), rng.normal(size=10)
    s1, s2 = rng.uniform(0.1, 4.0, size=10), rng.uniform(0.1, 4.0, size=10)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum(s1 + s2 - 2.0 * np.sqrt(s1 * s2))
    got = frechet_distance(mu1, np.diag(s1), mu2, np.diag(s2))
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_symmetric():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(200, 8))
    b = rng.normal(size=(150, 8)) * 2.0 + 0.5
    np.testing.assert_allclose(
        frechet_distance_from_features(a, b), frechet_distance_from_features(b, a), rtol=1e-9
    )


def test_singular_covariances_use_eps_offset():
    # Fewer samples than dimensions: rank-deficient covariances, still a finite distance.
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(5, 20)), rng.normal(size=(6, 20)) + 1.0
    distance = frechet_distance_from_features(a, b)
    assert np.isfinite(distance) and distance > 0
    zero = np.zeros((3, 3))
    assert frechet_distance(np.zeros(3), zero, np.ones(3), zero) == pytest.approx(3.0, abs=1e-5)


def test_inaccurate_sqrtm_retries_with_eps_offset(monkeypatch):
    from keras_gan.metrics import frechet

    calls, real_sqrtm = [], linalg.sqrtm

    def flaky_sqrtm(matrix):
        calls.append(matrix)
        return np.full_like(matrix, np.nan) if len(calls) == 1 else real_sqrtm(matrix)

    monkeypatch.setattr(frechet.linalg, "sqrtm", flaky_sqrtm)
    rng = np.random.default_rng(7)
    mu1, sigma1 = _random_gaussian(rng, 4)
    mu2, sigma2 = _random_gaussian(rng, 4)
    got = frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-3)
    offset = 1e-3 * np.eye(4)
    np.testing.assert_allclose(calls[1], (sigma1 + offset) @ (sigma2 + offset))
    expected = _direct_frechet(mu1, sigma1, mu2, sigma2)
    assert got == pytest.approx(expected, rel=1e-2)


def test_invalid_covariance_raises():
    with pytest.raises(ValueError, match="imaginary"):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(2), -np.eye(2))


@pytest.mark.parametrize(
    "a_shape, b_shape, message",
    [
        ((10, 4), (10, 5), "Feature dimensions differ"),
        ((1, 4), (10, 4), "at least 2 samples"),
        ((10, 4), (1, 4), "at least 2 samples"),
        ((10,), (10, 4), r"matrix \[N, D\]"),
    ],
)
def test_bad_features_raise(a_shape, b_shape, message):
    with pytest.raises(ValueError, match=message):
        frechet_distance_from_features(np.zeros(a_shape), np.zeros(b_shape))


def test_bad_statistics_raise():
    with pytest.raises(ValueError, match="Feature dimensions differ"):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))
    with pytest.raises(ValueError, match=r"sigma1.*\[D, D\]"):
        frechet_distance(np.zeros(3), np.eye(4), np.zeros(3), np.eye(3))


def _extractor(dim_in: int = 12, dim_out: int = 6) -> keras.Model:
    inputs = keras.Input((dim_in,))
    outputs = keras.layers.Dense(dim_out, activation="tanh", name="proj")(inputs)
    return keras.Model(inputs, outputs)


def test_metric_batches_match_function():
    rng = np.random.default_rng(5)
    extractor = _extractor()
    real = rng.normal(size=(300, 12)).astype("float32")
    fake = (rng.normal(size=(250, 12)) * 1.5 + 0.3).astype("float32")
    expected = frechet_distance_from_features(
        extractor.predict(real, verbose=0), extractor.predict(fake, verbose=0)
    )
    metric = FrechetDistance(extractor)
    assert metric.feature_dim == 6
    for start in range(0, 300, 64):
        metric.update_state(real[start : start + 64], fake[start : start + 64])
    np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-4, atol=1e-6)

    metric.reset_state()
    metric.update_state(real_images=real)  # real statistics once, generated separately
    metric.update_state(generated_images=fake)
    np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-4, atol=1e-6)


def test_metric_inside_tf_function_and_plain_callable():
    rng = np.random.default_rng(6)
    real = rng.normal(size=(64, 5)).astype("float32")
    fake = rng.normal(size=(64, 5)).astype("float32") + 1.0
    metric = FrechetDistance(lambda x: x * 2.0, feature_dim=5)

    @tf.function
    def step(r, g):
        metric.update_state(r, g)
        return metric.result()

    step(real[:32], fake[:32])
    got = float(step(real[32:], fake[32:]))
    expected = frechet_distance_from_features(real * 2.0, fake * 2.0)
    np.testing.assert_allclose(got, expected, rtol=1e-4)
    with pytest.raises(TypeError, match="Keras layer or model"):
        metric.get_config()


def test_metric_errors():
    with pytest.raises(ValueError, match="Pass `feature_dim`"):
        FrechetDistance(lambda x: x)
    metric = FrechetDistance(_extractor(), feature_dim=6)
    metric.update_state(np.zeros((1, 12), "float32"), np.zeros((4, 12), "float32"))
    with pytest.raises(ValueError, match="at least 2 real samples"):
        metric.result()
    with pytest.raises(ValueError, match=r"features \[N, 7\]"):
        FrechetDistance(_extractor(), feature_dim=7).update_state(np.zeros((4, 12), "float32"))


def test_metric_config_round_trip():
    metric = FrechetDistance(_extractor(), name="fd")
    config = metric.get_config()
    assert config["feature_dim"] == 6 and config["name"] == "fd"
    restored = FrechetDistance.from_config(config)
    assert restored.feature_dim == 6 and restored.name == "fd"
    assert restored.feature_extractor.get_layer("proj").units == 6
    assert keras.saving.get_registered_name(FrechetDistance) == "keras_gan>FrechetDistance"
    assert FrechetDistance._keras_gan_public_name == "keras_gan.metrics.FrechetDistance"
