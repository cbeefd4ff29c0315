import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing
from skimage import color, data

from keras_gan.layers.lab_color import (
    LabToRGB,
    RGBToLab,
    denormalize_lab,
    lab_to_rgb,
    normalize_lab,
    rgb_to_lab,
)


def _photos():
    return [data.astronaut()[::2, ::2] / 255.0, data.coffee()[::2, ::2] / 255.0]


@pytest.mark.parametrize("index", [0, 1])
def test_rgb_to_lab_matches_scikit_image_on_photos(index):
    rgb = _photos()[index]
    expected = color.rgb2lab(rgb)
    got = np.asarray(rgb_to_lab(rgb.astype("float32")))
    # L spans [0, 100] and a, b about +-100: 1e-3 absolute is 1e-5 of the range.
    np.testing.assert_allclose(got, expected, atol=1e-3)


@pytest.mark.parametrize("index", [0, 1])
def test_lab_to_rgb_matches_scikit_image_and_round_trips(index):
    rgb = _photos()[index]
    lab = color.rgb2lab(rgb)
    got = np.asarray(lab_to_rgb(lab.astype("float32")))
    np.testing.assert_allclose(got, color.lab2rgb(lab), atol=1e-4)
    round_trip = np.asarray(lab_to_rgb(rgb_to_lab(rgb.astype("float32"))))
    np.testing.assert_allclose(round_trip, rgb, atol=1e-5)


def test_known_colours():
    # White, black, the sRGB primaries and mid gray under D65 (published Lab values).
    rgb = np.array(
        [[1, 1, 1], [0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5]], "float32"
    )
    expected = np.array(
        [
            [100.0, 0.0, 0.0],
            [0.0, 0.0, 0.0],
            [53.24, 80.09, 67.20],
            [87.73, -86.18, 83.18],
            [32.30, 79.19, -107.86],
            [53.39, 0.0, 0.0],
        ]
    )
    np.testing.assert_allclose(np.asarray(rgb_to_lab(rgb)), expected, atol=0.01)


def test_out_of_gamut_lab_is_clipped_to_the_unit_cube_as_scikit_image():
    rng = np.random.default_rng(0)
    n = 20_000
    lab = np.stack(
        [rng.uniform(0, 100, n), rng.uniform(-128, 127, n), rng.uniform(-128, 127, n)], axis=-1
    )
    got = np.asarray(lab_to_rgb(lab.astype("float32")))
    assert got.min() == 0.0 and got.max() == 1.0  # most of the box is out of gamut
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-image warns about negative Z values
        expected = color.lab2rgb(lab[None])[0]
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_gradients_are_finite_at_the_knees_and_the_edges():
    rgb = tf.constant([[0.0, 0.04045, 1.0], [0.5, 0.0, 0.0], [1.0, 1.0, 1.0]], tf.float32)
    lab = tf.constant([[0.0, 0.0, 0.0], [100.0, 0.0, 0.0], [8.0, 0.0, 0.0], [50.0, 0, 300]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([rgb, lab])
        forward = tf.reduce_sum(rgb_to_lab(rgb))
        backward = tf.reduce_sum(lab_to_rgb(lab))
    assert np.all(np.isfinite(tape.gradient(forward, rgb)))
    assert np.all(np.isfinite(tape.gradient(backward, lab)))


def test_normalized_layers_scale_l_by_50_and_ab_by_110():
    rgb = _photos()[1][:32, :32].astype("float32")
    lab = color.rgb2lab(rgb)
    normalized = np.asarray(RGBToLab(normalized=True)(rgb[None] * 2 - 1))[0]
    expected = np.stack([lab[..., 0] / 50 - 1, lab[..., 1] / 110, lab[..., 2] / 110], -1)
    np.testing.assert_allclose(normalized, expected, atol=2e-5)
    back = np.asarray(LabToRGB(normalized=True)(normalized[None]))[0]
    np.testing.assert_allclose(back, rgb * 2 - 1, atol=2e-5)
    np.testing.assert_allclose(denormalize_lab(normalize_lab(lab)), lab, atol=1e-4)
    np.testing.assert_allclose(RGBToLab()(rgb[None])[0], lab, atol=1e-3)


def test_layers_stay_float32_under_mixed_precision():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        layer = LabToRGB()
    finally:
        keras.config.set_dtype_policy("float32")
    assert layer.compute_dtype == "float32"
    assert layer(tf.constant([[50.0, 10.0, -10.0]], tf.float16)).dtype == tf.float32


def test_save_and_load_round_trip(tmp_path):
    inputs = keras.Input((None, None, 3))
    lab = RGBToLab(normalized=True, name="to_lab")(inputs)
    model = keras.Model(inputs, LabToRGB(normalized=True, name="to_rgb")(lab * 0.5))
    assert model.get_layer("to_lab").get_config()["normalized"] is True
    model.save(tmp_path / "lab.keras")
    loaded = keras.saving.load_model(tmp_path / "lab.keras")
    assert isinstance(loaded.get_layer("to_rgb"), LabToRGB)
    x = np.random.default_rng(1).uniform(-1, 1, (2, 8, 6, 3)).astype("float32")
    np.testing.assert_array_equal(model(x), loaded(x))


def test_wrong_channels_are_an_error():
    with pytest.raises(ValueError, match="expects 3 channels"):
        RGBToLab()(np.zeros((1, 4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="expects 3 channels"):
        LabToRGB()(keras.Input((None, None, 2)))


def _interpreter(content):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        Interpreter = tf.lite.Interpreter
    return Interpreter(model_content=content)


def test_converts_to_tflite_with_builtin_ops_only():
    inputs = keras.Input((None, None, 3))
    model = keras.Model(inputs, LabToRGB()(RGBToLab()(inputs) * 1.2))
    function = tf.function(lambda x: model(x)).get_concrete_function(
        tf.TensorSpec([1, 16, 16, 3], tf.float32)
    )
    converter = tf.lite.TFLiteConverter.from_concrete_functions([function])
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    interpreter = _interpreter(converter.convert())
    interpreter.allocate_tensors()
    x = np.random.default_rng(2).uniform(0, 1, (1, 16, 16, 3)).astype("float32")
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    interpreter.invoke()
    got = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_allclose(got, model(x), atol=1e-4)


# Lab colours, in and out of gamut, and scikit-image's `lab2rgb` of them (the layer agrees
# within 4e-7 on these, under run_layer_test's 1e-6 tolerance).
KNOWN_LAB = np.array(
    [
        [0, 0, 0],
        [100, 0, 0],
        [50, 0, 0],
        [50, 120, 0],
        [50, -120, 0],
        [50, 0, 120],
        [50, 0, -120],
        [100, 100, 100],
        [0, -100, -100],
        [30, 80, -110],
    ],
    "float32",
).reshape(2, 1, 5, 3)


class LabColorLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision).

    The mixed precision check builds the layers with `dtype="mixed_float16"`: they then
    compute in float32 on the inputs as given and return the policy's compute dtype.
    """

    def _run(self, layer_cls, normalized, input_data, expected_output):
        self.run_layer_test(
            layer_cls,
            init_kwargs={"normalized": normalized},
            input_data=input_data,
            expected_output=keras.ops.convert_to_tensor(expected_output),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
        )

    def test_lab_to_rgb(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-image warns about negative Z values
            rgb = color.lab2rgb(KNOWN_LAB.astype("float64")).astype("float32")
        self._run(LabToRGB, False, KNOWN_LAB, rgb)
        scaled = (KNOWN_LAB - np.array([50.0, 0, 0], "float32")) / np.array(
            [50.0, 110.0, 110.0], "float32"
        )
        self._run(LabToRGB, True, scaled, rgb * 2 - 1)

    def test_rgb_to_lab(self):
        rgb = np.random.default_rng(3).uniform(0, 1, (2, 3, 4, 3)).astype("float32")
        # `rgb_to_lab`, checked against scikit-image above.
        lab = np.asarray(rgb_to_lab(rgb))
        self._run(RGBToLab, False, rgb, lab)
        scaled = np.stack([lab[..., 0] / 50 - 1, lab[..., 1] / 110, lab[..., 2] / 110], -1)
        self._run(RGBToLab, True, rgb * 2 - 1, scaled)


def test_an_explicit_mixed_policy_converts_in_float32_and_returns_the_compute_dtype():
    rng = np.random.default_rng(4)
    lab = np.stack(
        [rng.uniform(0, 100, 500), rng.uniform(-80, 80, 500), rng.uniform(-80, 80, 500)], -1
    ).astype("float32")
    mixed = LabToRGB(dtype="mixed_float16")
    assert mixed.compute_dtype == "float16" and not mixed.autocast
    out = mixed(lab)
    assert out.dtype == tf.float16
    # The float32 inputs are converted as they are (not rounded to float16 first).
    np.testing.assert_array_equal(out, tf.cast(lab_to_rgb(lab), tf.float16))
    rgb = RGBToLab(dtype="mixed_float16")(np.asarray(out, "float32"))
    assert rgb.dtype == tf.float16
    np.testing.assert_array_equal(rgb, tf.cast(rgb_to_lab(np.asarray(out, "float32")), tf.float16))
