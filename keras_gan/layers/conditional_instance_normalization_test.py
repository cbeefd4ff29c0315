import keras
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_gan.layers.conditional_instance_normalization import ConditionalInstanceNormalization


def _numpy_reference(x, gamma, beta, epsilon=1e-5):
    """Per image and channel: (x - mean) / sqrt(var + eps) * gamma + beta, statistics over H, W."""
    out = np.empty_like(x, dtype="float64")
    for n in range(x.shape[0]):
        for c in range(x.shape[-1]):
            plane = x[n, :, :, c].astype("float64")
            out[n, :, :, c] = (plane - plane.mean()) / np.sqrt(plane.var() + epsilon)
            out[n, :, :, c] = out[n, :, :, c] * gamma[n, c] + beta[n, c]
    return out


def _layer_with_random_parameters(num_styles=3, channels=4, seed=0):
    layer = ConditionalInstanceNormalization(num_styles)
    layer.build(((None, None, None, channels), (None,)))
    rng = np.random.default_rng(seed)
    gamma = rng.normal(1.0, 0.5, (num_styles, channels)).astype("float32")
    beta = rng.normal(0.0, 0.5, (num_styles, channels)).astype("float32")
    layer.set_weights([gamma, beta])
    return layer, gamma, beta


def test_matches_a_hand_computation_for_each_style_index():
    layer, gamma, beta = _layer_with_random_parameters()
    x = np.random.default_rng(1).normal(2.0, 3.0, (3, 5, 6, 4)).astype("float32")
    styles = np.array([2, 0, 2], "int32")
    y = layer([x, styles])
    expected = _numpy_reference(x, gamma[styles], beta[styles])
    np.testing.assert_allclose(y, expected, atol=1e-4)


def test_different_styles_give_different_outputs_and_untrained_is_instance_norm():
    layer, _, _ = _layer_with_random_parameters()
    x = np.random.default_rng(2).normal(size=(1, 4, 4, 4)).astype("float32")
    outputs = [np.asarray(layer([x, np.array([s], "int32")])) for s in range(3)]
    assert not np.allclose(outputs[0], outputs[1]) and not np.allclose(outputs[1], outputs[2])
    fresh = ConditionalInstanceNormalization(3)
    plain = keras.layers.GroupNormalization(groups=-1, epsilon=1e-5, center=False, scale=False)
    np.testing.assert_allclose(fresh([x, np.array([1], "int32")]), plain(x), atol=1e-5)


def test_style_weights_mix_the_styles_parameters():
    layer, gamma, beta = _layer_with_random_parameters()
    x = np.random.default_rng(3).normal(size=(2, 5, 5, 4)).astype("float32")
    one_hot = np.array([[0, 1, 0], [0, 0, 1]], "float32")
    np.testing.assert_allclose(
        layer([x, one_hot]), layer([x, np.array([1, 2], "int32")]), atol=1e-6
    )
    weights = np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]], "float32")
    expected = _numpy_reference(x, weights @ gamma, weights @ beta)
    np.testing.assert_allclose(layer([x, weights]), expected, atol=1e-4)


def test_in_a_functional_model_the_config_and_saved_file_round_trip(tmp_path):
    features = keras.Input((None, None, 4))
    styles = keras.Input((), dtype="int32")
    layer = ConditionalInstanceNormalization(3, epsilon=1e-3, name="cin")
    model = keras.Model([features, styles], layer([features, styles]))
    model.get_layer("cin").set_weights(_layer_with_random_parameters()[0].get_weights())
    assert layer.get_config()["num_styles"] == 3 and layer.get_config()["epsilon"] == 1e-3
    x = np.random.default_rng(4).normal(size=(2, 6, 7, 4)).astype("float32")
    s = np.array([0, 2], "int32")
    model.save(tmp_path / "cin.keras")
    loaded = keras.saving.load_model(tmp_path / "cin.keras")
    assert isinstance(loaded.get_layer("cin"), ConditionalInstanceNormalization)
    np.testing.assert_array_equal(model([x, s]), loaded([x, s]))


def test_converts_to_tflite_builtins():
    features = keras.Input((None, None, 4))
    styles = keras.Input((), dtype="int32")
    model = keras.Model([features, styles], ConditionalInstanceNormalization(3)([features, styles]))
    function = tf.function(lambda x, s: model([x, s])).get_concrete_function(
        tf.TensorSpec([None, None, None, 4]), tf.TensorSpec([None], tf.int32)
    )
    converter = tf.lite.TFLiteConverter.from_concrete_functions([function], model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    assert len(converter.convert()) > 0


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="num_styles must be >= 1"):
        ConditionalInstanceNormalization(0)
    with pytest.raises(ValueError, match="epsilon must be > 0"):
        ConditionalInstanceNormalization(2, epsilon=0)
    with pytest.raises(ValueError, match=r"num_styles=2"):
        ConditionalInstanceNormalization(2)([np.zeros((1, 4, 4, 3)), np.zeros((1, 3))])
    with pytest.raises(ValueError, match=r"features \[N, H, W, C\]"):
        ConditionalInstanceNormalization(2)([np.zeros((1, 4, 3)), np.zeros((1,), "int32")])


class ConditionalInstanceNormalizationLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test_with_style_indices_and_weights(self):
        x = np.random.default_rng(5).normal(1.0, 2.0, (2, 3, 4, 2)).astype("float32")
        # Untrained: gamma 1, beta 0 for every style, so plain instance normalization.
        expected = _numpy_reference(x, np.ones((2, 2)), np.zeros((2, 2))).astype("float32")
        styles = [
            np.array([2, 0], "int32"),
            np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]], "float32"),
        ]
        for style in styles:
            self.run_layer_test(
                ConditionalInstanceNormalization,
                init_kwargs={"num_styles": 3},
                input_data=(x, style),
                expected_output=keras.ops.convert_to_tensor(expected),
                expected_num_trainable_weights=2,  # gamma, beta
                expected_num_non_trainable_weights=0,
                expected_num_seed_generators=0,
                expected_num_losses=0,
                supports_masking=False,
            )
