"""ConditionalBatchNormalization against plain batch normalization and hand arithmetic."""

import keras
import numpy as np
import pytest
from keras.src import testing

from keras_gan.layers import ConditionalBatchNormalization

EPSILON = 1e-3


def features_and_labels(shape=(4, 3, 3, 2), seed=0):
    rng = np.random.default_rng(seed)
    features = (rng.normal(size=shape) * 2.0 + 1.5).astype(np.float32)
    labels = np.array([0, 1, 1, 0][: shape[0]], np.int32)
    return features, labels


def hand_batch_normalized(features):
    axes = tuple(range(features.ndim - 1))
    x = features.astype(np.float64)
    mean = x.mean(axis=axes)
    var = x.var(axis=axes)  # the biased (population) variance, as batch norm uses
    return (x - mean) / np.sqrt(var + EPSILON)


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 3, 2)])
def test_untrained_layer_equals_plain_batch_normalization(shape):
    features, labels = features_and_labels(shape)
    layer = ConditionalBatchNormalization(num_classes=3)
    plain = keras.layers.BatchNormalization(center=False, scale=False)
    # Training mode: the batch statistics.
    out = np.asarray(layer([features, labels], training=True))
    expected = np.asarray(plain(features, training=True))
    assert out.shape == shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out, hand_batch_normalized(features), rtol=1e-4, atol=1e-4)
    # Both updated their moving statistics the same way, so inference agrees too.
    out = np.asarray(layer([features, labels], training=False))
    expected = np.asarray(plain(features, training=False))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_untrained_inference_uses_initial_moving_statistics():
    features, labels = features_and_labels()
    layer = ConditionalBatchNormalization(num_classes=2)
    out = np.asarray(layer([features, labels], training=False))
    # Moving mean 0, variance 1: x / sqrt(1 + eps).
    np.testing.assert_allclose(out, features / np.sqrt(1.0 + EPSILON), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, np.asarray(layer([features, labels])), rtol=0, atol=0)


def test_per_class_gamma_and_beta():
    features, labels = features_and_labels()  # labels [0, 1, 1, 0], 2 channels
    layer = ConditionalBatchNormalization(num_classes=2)
    layer.build([features.shape, labels.shape])
    gamma = np.array([[2.0, 3.0], [0.5, -1.0]], np.float32)
    beta = np.array([[1.0, 0.0], [-2.0, 5.0]], np.float32)
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)

    out = np.asarray(layer([features, labels], training=True))
    normalized = hand_batch_normalized(features)
    for i, k in enumerate(labels):
        # gamma[k] and beta[k] broadcast over the spatial axes.
        np.testing.assert_allclose(out[i], normalized[i] * gamma[k] + beta[k], rtol=1e-4, atol=1e-4)
    # Sample 0 (class 0), pixel (1, 2), channel 1 written out in full.
    assert out[0, 1, 2, 1] == pytest.approx(normalized[0, 1, 2, 1] * 3.0 + 0.0, abs=1e-4)
    assert out[1, 1, 2, 1] == pytest.approx(normalized[1, 1, 2, 1] * -1.0 + 5.0, abs=1e-4)

    # Inference with labels of shape [N, 1], after one training call's moving-average update.
    plain = keras.layers.BatchNormalization(center=False, scale=False)
    plain(features, training=True)
    normalized = np.asarray(plain(features, training=False))
    out = np.asarray(layer([features, labels[:, None]], training=False))
    for i, k in enumerate(labels):
        np.testing.assert_allclose(out[i], normalized[i] * gamma[k] + beta[k], rtol=1e-5, atol=1e-5)


def test_labels_choose_rows_independently_of_batch_statistics():
    # Changing labels only changes which affine row applies; normalization is shared.
    features, labels = features_and_labels()
    layer = ConditionalBatchNormalization(num_classes=2)
    layer.build([features.shape, labels.shape])
    layer.gamma.assign([[2.0, 2.0], [1.0, 1.0]])
    out_a = np.asarray(layer([features, np.zeros(4, np.int32)], training=True))
    out_b = np.asarray(layer([features, np.ones(4, np.int32)], training=True))
    np.testing.assert_allclose(out_a, 2.0 * out_b, rtol=1e-5, atol=1e-5)


def test_weights_and_trainability():
    features, labels = features_and_labels()
    layer = ConditionalBatchNormalization(num_classes=5)
    layer([features, labels])
    assert tuple(layer.gamma.shape) == (5, 2) and tuple(layer.beta.shape) == (5, 2)
    np.testing.assert_array_equal(np.asarray(layer.gamma), np.ones((5, 2)))
    np.testing.assert_array_equal(np.asarray(layer.beta), np.zeros((5, 2)))
    assert len(layer.trainable_weights) == 2
    assert len(layer.non_trainable_weights) == 2  # moving mean and variance


def test_config_round_trip():
    layer = ConditionalBatchNormalization(
        num_classes=4, momentum=0.9, epsilon=1e-5, synchronized=False, name="cbn"
    )
    config = layer.get_config()
    assert config["num_classes"] == 4
    assert config["momentum"] == 0.9
    assert config["epsilon"] == 1e-5
    assert config["synchronized"] is False
    clone = ConditionalBatchNormalization.from_config(config)
    assert clone.get_config() == config
    assert clone.batch_norm.momentum == 0.9 and clone.batch_norm.epsilon == 1e-5
    # And through Keras' registry.
    serialized = keras.saving.serialize_keras_object(layer)
    restored = keras.saving.deserialize_keras_object(serialized)
    assert isinstance(restored, ConditionalBatchNormalization)
    assert restored.get_config() == config


def test_saved_functional_model_reloads_with_identical_outputs(tmp_path):
    features, labels = features_and_labels(shape=(4, 4, 4, 3))
    image = keras.Input((4, 4, 3))
    label = keras.Input((), dtype="int32")
    x = keras.layers.Conv2D(2, 3, padding="same")(image)
    x = ConditionalBatchNormalization(num_classes=3, name="cbn")([x, label])
    model = keras.Model([image, label], x)

    cbn = model.get_layer("cbn")
    rng = np.random.default_rng(1)
    cbn.gamma.assign(rng.normal(size=(3, 2)).astype(np.float32))
    cbn.beta.assign(rng.normal(size=(3, 2)).astype(np.float32))
    # A training call moves the moving statistics off 0 / 1 (and they move again on every
    # training call, so inference is compared before the reloaded model's training call).
    training = np.asarray(model([features, labels], training=True))
    inference = np.asarray(model([features, labels], training=False))
    moving_variance = np.asarray(cbn.batch_norm.moving_variance)
    assert not np.allclose(moving_variance, 1.0)

    path = tmp_path / "cbn.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.get_layer("cbn"), ConditionalBatchNormalization)
    for a, b in zip(model.weights, loaded.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    np.testing.assert_allclose(
        np.asarray(loaded([features, labels], training=False)), inference, rtol=1e-6, atol=1e-6
    )
    np.testing.assert_allclose(
        np.asarray(loaded([features, labels], training=True)), training, rtol=1e-6, atol=1e-6
    )


@pytest.mark.parametrize("bad", [0, -1])
def test_bad_num_classes_raises(bad):
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalBatchNormalization(num_classes=bad)


class ConditionalBatchNormalizationLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test(self):
        features, labels = features_and_labels()
        self.run_layer_test(
            ConditionalBatchNormalization,
            init_kwargs={"num_classes": 3},
            input_data=(features, labels),
            # Untrained, at inference: moving mean 0, variance 1, gamma 1, beta 0.
            expected_output=keras.ops.convert_to_tensor(features / np.sqrt(1.0 + EPSILON)),
            expected_num_trainable_weights=2,  # gamma, beta
            expected_num_non_trainable_weights=2,  # moving mean and variance
            expected_num_non_trainable_variables=2,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
        )
