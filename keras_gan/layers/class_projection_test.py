"""ClassProjection: the inner product with a class embedding, optionally spectrally normalized."""

import keras
import numpy as np
import pytest
from keras.src import testing

from keras_gan.layers import ClassProjection

EMBEDDINGS = np.array(
    [[1.0, 0.0, 2.0], [-1.0, 0.5, 0.0], [0.0, 3.0, -2.0]], np.float32
)  # 3 classes, 3 features
FEATURES = np.array(
    [[1.0, 2.0, 3.0], [4.0, -1.0, 0.0], [0.5, 0.5, 0.5], [2.0, 0.0, 1.0]], np.float32
)
LABELS = np.array([0, 1, 2, 0], np.int32)


def built_layer(**kwargs):
    layer = ClassProjection(num_classes=3, **kwargs)
    layer.build([FEATURES.shape, LABELS.shape])
    layer.embeddings.assign(EMBEDDINGS)
    return layer


def embedding_table_seen_by_call(layer, num_classes, dim, training=False):
    """Reads back the table `call` uses: one-hot features pick single entries."""
    eye = np.eye(dim, dtype=np.float32)
    rows = []
    for k in range(num_classes):
        out = np.asarray(layer([eye, np.full(dim, k, np.int32)], training=training))
        rows.append(out[:, 0])
    return np.stack(rows)


def matrix_with_singular_values(values, rows, cols, seed=0):
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.normal(size=(rows, rows)))
    v, _ = np.linalg.qr(rng.normal(size=(cols, cols)))
    s = np.zeros((rows, cols))
    s[: len(values), : len(values)] = np.diag(values)
    return (u @ s @ v.T).astype(np.float32)


def test_output_is_inner_product_with_label_embedding():
    layer = built_layer()
    out = np.asarray(layer([FEATURES, LABELS]))
    assert out.shape == (4, 1)
    # Row by row: <E[y], x>.
    expected = [
        1 * 1 + 0 * 2 + 2 * 3,  # class 0 -> 7
        -1 * 4 + 0.5 * -1 + 0 * 0,  # class 1 -> -4.5
        0 * 0.5 + 3 * 0.5 + -2 * 0.5,  # class 2 -> 0.5
        1 * 2 + 0 * 0 + 2 * 1,  # class 0 -> 4
    ]
    np.testing.assert_allclose(out[:, 0], expected, rtol=1e-6)
    np.testing.assert_allclose(out[:, 0], np.sum(EMBEDDINGS[LABELS] * FEATURES, axis=-1), rtol=1e-6)
    # Labels of shape [N, 1] and other int dtypes give the same result.
    np.testing.assert_allclose(
        np.asarray(layer([FEATURES, LABELS[:, None].astype(np.int64)])), out, rtol=0, atol=0
    )


def test_default_initialization_is_small_and_trainable():
    layer = ClassProjection(num_classes=10)
    out = layer([np.ones((2, 16), np.float32), np.array([3, 7])])
    assert tuple(out.shape) == (2, 1)
    assert tuple(layer.embeddings.shape) == (10, 16)
    assert layer.trainable_weights == [layer.embeddings]
    assert float(np.std(np.asarray(layer.embeddings))) < 0.05


def test_spectral_norm_converges_to_unit_largest_singular_value():
    weights = matrix_with_singular_values([3.0, 1.0, 0.5], rows=3, cols=5)
    layer = ClassProjection(num_classes=3, spectral_norm=True)
    features = np.random.default_rng(1).normal(size=(6, 5)).astype(np.float32)
    labels = np.array([0, 1, 2, 0, 1, 2], np.int32)
    layer.build([features.shape, labels.shape])
    layer.embeddings.assign(weights)
    assert len(layer.non_trainable_weights) == 1  # the power-iteration vector

    for _ in range(15):  # one power iteration per training call
        out = layer([features, labels], training=True)
    assert tuple(out.shape) == (6, 1)

    table = embedding_table_seen_by_call(layer, num_classes=3, dim=5)
    sigma = np.linalg.svd(weights.astype(np.float64), compute_uv=False)
    assert sigma[0] == pytest.approx(3.0, rel=1e-5)
    np.testing.assert_allclose(table, weights / sigma[0], rtol=1e-4, atol=1e-5)
    normalized_sigma = np.linalg.svd(table.astype(np.float64), compute_uv=False)
    assert normalized_sigma[0] == pytest.approx(1.0, abs=1e-4)
    # The output uses the normalized table.
    np.testing.assert_allclose(
        np.asarray(layer([features, labels], training=False))[:, 0],
        np.sum(table[labels] * features, axis=-1),
        rtol=1e-5,
        atol=1e-5,
    )


def test_spectral_norm_with_random_initialization_converges():
    keras.utils.set_random_seed(7)  # the embedding and power-vector initializers draw from it
    layer = ClassProjection(num_classes=4, spectral_norm=True)
    features = np.ones((4, 8), np.float32)
    labels = np.arange(4)
    for _ in range(60):
        layer([features, labels], training=True)
    table = embedding_table_seen_by_call(layer, num_classes=4, dim=8)
    sigma = np.linalg.svd(np.asarray(layer.embeddings).astype(np.float64), compute_uv=False)
    np.testing.assert_allclose(table, np.asarray(layer.embeddings) / sigma[0], rtol=2e-3, atol=1e-4)
    assert np.linalg.svd(table, compute_uv=False)[0] == pytest.approx(1.0, abs=2e-3)


def test_spectral_norm_updates_power_vector_only_in_training():
    layer = ClassProjection(num_classes=3, spectral_norm=True)
    layer([FEATURES, LABELS])
    before = np.asarray(layer.power_vector).copy()
    layer([FEATURES, LABELS], training=False)
    np.testing.assert_array_equal(np.asarray(layer.power_vector), before)
    layer([FEATURES, LABELS], training=True)
    after = np.asarray(layer.power_vector)
    assert not np.allclose(after, before)
    assert np.linalg.norm(after) == pytest.approx(1.0, rel=1e-5)


def test_config_round_trip():
    layer = ClassProjection(num_classes=7, spectral_norm=True, name="proj")
    config = layer.get_config()
    assert config["num_classes"] == 7 and config["spectral_norm"] is True
    clone = ClassProjection.from_config(config)
    assert clone.get_config() == config
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert isinstance(restored, ClassProjection)
    assert restored.get_config() == config


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_saved_functional_model_reloads_with_identical_outputs(tmp_path, spectral_norm):
    features_in = keras.Input((5,))
    label_in = keras.Input((), dtype="int32")
    phi = keras.layers.Dense(3, activation="relu")(features_in)
    logit = keras.layers.Dense(1)(phi)
    projection = ClassProjection(num_classes=4, spectral_norm=spectral_norm, name="proj")
    model = keras.Model([features_in, label_in], logit + projection([phi, label_in]))

    rng = np.random.default_rng(2)
    features = rng.normal(size=(8, 5)).astype(np.float32)
    labels = rng.integers(0, 4, size=8).astype(np.int32)
    model.get_layer("proj").embeddings.assign(rng.normal(size=(4, 3)).astype(np.float32))
    for _ in range(3):
        model([features, labels], training=True)
    expected = np.asarray(model([features, labels], training=False))
    assert expected.shape == (8, 1)

    path = tmp_path / "projection.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.get_layer("proj"), ClassProjection)
    assert loaded.get_layer("proj").spectral_norm is spectral_norm
    for a, b in zip(model.weights, loaded.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    np.testing.assert_allclose(
        np.asarray(loaded([features, labels], training=False)), expected, rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("bad", [0, -3])
def test_bad_num_classes_raises(bad):
    with pytest.raises(ValueError, match="num_classes"):
        ClassProjection(num_classes=bad)


class ClassProjectionLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test(self):
        for spectral_norm, non_trainable in [(False, 0), (True, 1)]:  # + the power vector
            self.run_layer_test(
                ClassProjection,
                init_kwargs={"num_classes": 3, "spectral_norm": spectral_norm},
                input_data=(FEATURES, LABELS),
                expected_output_shape=(4, 1),
                expected_num_trainable_weights=1,
                expected_num_non_trainable_weights=non_trainable,
                expected_num_non_trainable_variables=non_trainable,
                expected_num_seed_generators=0,
                expected_num_losses=0,
                supports_masking=False,
            )
