import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.metrics.kernel_distance import KernelDistance, kernel_distance


def direct_kid(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 with k(a, b) = (a.b / d + 1)^3, written out term by term.

    With `len(x) == len(y)` this is one KID subset estimate; with different sizes it is the
    average of the subset estimates over all possible subsets.
    """
    n, d = x.shape
    m = len(y)

    def k(a, b):
        return (float(np.dot(a, b)) / d + 1.0) ** 3

    xx = sum(k(x[i], x[j]) for i in range(n) for j in range(n) if i != j)
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j)
    xy = sum(k(x[i], y[j]) for i in range(n) for j in range(m))
    return xx / (n * (n - 1)) + yy / (m * (m - 1)) - 2.0 * xy / (n * m)


def test_single_full_subset_equals_direct_formula():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 5))
    y = rng.normal(size=(20, 5)) * 1.3 + 0.4
    mean, std = kernel_distance(x, y, num_subsets=1, subset_size=20)
    assert mean == pytest.approx(direct_kid(x, y), rel=1e-10)
    assert std == 0.0
    # Order within a set does not matter: the full subset is a permutation.
    assert kernel_distance(x[::-1], y, num_subsets=1, subset_size=50)[0] == pytest.approx(mean)


def test_subsets_average_direct_estimates_on_the_same_draws():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(30, 4)), rng.normal(size=(25, 4)) + 0.5
    draws = np.random.default_rng(7)
    expected = []
    for _ in range(3):
        a = x[draws.choice(30, 10, replace=False)]
        b = y[draws.choice(25, 10, replace=False)]
        expected.append(direct_kid(a, b))
    mean, std = kernel_distance(x, y, num_subsets=3, subset_size=10, seed=7)
    assert mean == pytest.approx(np.mean(expected), rel=1e-10)
    assert std == pytest.approx(np.std(expected), rel=1e-8)


def test_same_distribution_is_near_zero_and_far_below_a_shift():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(400, 16))
    b = rng.normal(size=(400, 16))
    shifted = rng.normal(size=(400, 16)) + 0.5
    same, same_std = kernel_distance(a, b, num_subsets=20, subset_size=200)
    different, _ = kernel_distance(a, shifted, num_subsets=20, subset_size=200)
    assert abs(same) < 3 * same_std + 1e-3
    assert different > 0.1 and abs(same) < 0.02 * different


@pytest.mark.parametrize(
    "a, b, kwargs, message",
    [
        (np.zeros((10, 4)), np.zeros((10, 5)), {}, "Feature dimensions differ"),
        (np.zeros((1, 4)), np.zeros((10, 4)), {}, "at least 2 samples"),
        (np.zeros((10,)), np.zeros((10, 4)), {}, r"matrix \[N, D\]"),
        (np.full((3, 2), np.nan), np.zeros((3, 2)), {}, "NaN or infinite"),
        (np.zeros((3, 2)), np.zeros((3, 2)), {"num_subsets": 0}, "num_subsets"),
        (np.zeros((3, 2)), np.zeros((3, 2)), {"subset_size": 1}, "subset_size"),
    ],
)
def test_bad_inputs_raise(a, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kernel_distance(a, b, **kwargs)


def _extractor(dim_in: int = 6, dim_out: int = 4) -> keras.Model:
    inputs = keras.Input((dim_in,))
    outputs = keras.layers.Dense(dim_out, activation="tanh", name="proj")(inputs)
    return keras.Model(inputs, outputs)


def test_metric_over_batches_equals_function_on_concatenated_features():
    rng = np.random.default_rng(3)
    extractor = _extractor()
    real = rng.normal(size=(40, 6)).astype("float32")
    fake = (rng.normal(size=(40, 6)) * 1.5 + 0.3).astype("float32")
    metric = KernelDistance(extractor, max_samples=48, num_subsets=1, subset_size=100)
    assert metric.feature_dim == 4
    for start in range(0, 40, 16):
        metric.update_state(real[start : start + 16], fake[start : start + 16])
    assert metric.counts() == {"real": 40, "generated": 40}
    expected, _ = kernel_distance(
        extractor.predict(real, verbose=0), extractor.predict(fake, verbose=0), 1, 100
    )
    np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-6, atol=1e-9)

    metric.reset_state()
    assert metric.counts() == {"real": 0, "generated": 0}
    metric.update_state(real_images=real)
    metric.update_state(generated_images=fake)
    np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-6, atol=1e-9)


def test_metric_keeps_the_first_max_samples():
    rng = np.random.default_rng(4)
    real = rng.normal(size=(30, 3)).astype("float32")
    fake = rng.normal(size=(30, 3)).astype("float32") + 1.0
    metric = KernelDistance(lambda x: x, feature_dim=3, max_samples=12, num_subsets=1)
    metric.update_state(real[:8], fake[:8])
    metric.update_state(real[8:], fake[8:])  # only 4 more of each fit
    assert metric.counts() == {"real": 12, "generated": 12}
    expected, _ = kernel_distance(real[:12], fake[:12], num_subsets=1)
    np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-6)


def test_metric_random_subsets_estimate_the_full_value():
    rng = np.random.default_rng(5)
    real = rng.normal(size=(60, 8)).astype("float32")
    fake = rng.normal(size=(50, 8)).astype("float32") + 0.7
    full = direct_kid(real.astype(float), fake.astype(float))  # the mean over all subsets
    metric = KernelDistance(lambda x: x, feature_dim=8, max_samples=64, subset_size=20)
    metric.update_state(real, fake)
    value = float(metric.result())
    assert value == pytest.approx(float(metric.result()))  # deterministic for a fixed seed
    function_value, function_std = kernel_distance(real, fake, subset_size=20)
    assert abs(value - function_value) < 3 * function_std / np.sqrt(100) * np.sqrt(2)
    assert abs(value - full) < 3 * function_std / np.sqrt(100)


def test_metric_inside_tf_function_and_compile():
    rng = np.random.default_rng(6)
    real = rng.normal(size=(32, 5)).astype("float32")
    fake = rng.normal(size=(32, 5)).astype("float32") + 1.0
    metric = KernelDistance(lambda x: x * 2.0, feature_dim=5, max_samples=32, num_subsets=1)

    @tf.function
    def step(r, g):
        metric.update_state(r, g)
        return metric.result()

    step(real[:16], fake[:16])
    got = float(step(real[16:], fake[16:]))
    expected, _ = kernel_distance(real * 2.0, fake * 2.0, num_subsets=1)
    np.testing.assert_allclose(got, expected, rtol=1e-6)

    # In `evaluate`: y_true are the real images, the model's outputs the generated ones.
    model = keras.Sequential([keras.Input((5,)), keras.layers.Lambda(lambda x: x + 1.0)])
    model.compile(
        loss="mse",
        metrics=[KernelDistance(lambda x: x, feature_dim=5, max_samples=32, num_subsets=1)],
    )
    results = model.evaluate(real, real, batch_size=8, verbose=0, return_dict=True)
    expected, _ = kernel_distance(real, real + 1.0, num_subsets=1)
    np.testing.assert_allclose(results["kernel_distance"], expected, rtol=1e-5)


def test_metric_errors():
    with pytest.raises(ValueError, match="Pass `feature_dim`"):
        KernelDistance(lambda x: x)
    with pytest.raises(ValueError, match="max_samples"):
        KernelDistance(lambda x: x, feature_dim=2, max_samples=1)
    metric = KernelDistance(_extractor(), max_samples=8)
    metric.update_state(np.zeros((1, 6), "float32"), np.zeros((4, 6), "float32"))
    with pytest.raises(ValueError, match="at least 2 real samples"):
        metric.result()
    with pytest.raises(ValueError, match=r"features \[N, 7\]"):
        KernelDistance(_extractor(), feature_dim=7).update_state(np.zeros((4, 6), "float32"))
    with pytest.raises(TypeError, match="Keras layer or model"):
        KernelDistance(lambda x: x, feature_dim=2).get_config()


def test_metric_config_round_trip():
    metric = KernelDistance(_extractor(), max_samples=10, num_subsets=3, subset_size=5, name="kid")
    config = metric.get_config()
    restored = KernelDistance.from_config(config)
    assert (restored.feature_dim, restored.max_samples) == (4, 10)
    assert (restored.num_subsets, restored.subset_size, restored.seed) == (3, 5, 0)
    assert restored.name == "kid"
    assert restored.feature_extractor.get_layer("proj").units == 4
    assert keras.saving.get_registered_name(KernelDistance) == "keras_gan>KernelDistance"
    assert KernelDistance._keras_gan_public_name == "keras_gan.metrics.KernelDistance"
