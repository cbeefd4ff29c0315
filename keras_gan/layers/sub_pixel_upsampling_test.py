import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_gan.layers.sub_pixel_upsampling import SubPixelUpsampling


def test_each_block_is_read_from_one_pixels_channels():
    # Output pixel (h * s + i, w * s + j), channel c comes from input pixel (h, w),
    # channel (i * s + j) * C + c.
    s, out_channels = 3, 2
    x = np.random.default_rng(0).normal(size=(2, 4, 5, out_channels * s * s)).astype("float32")
    y = np.asarray(SubPixelUpsampling(s)(x))
    assert y.shape == (2, 12, 15, out_channels)
    expected = np.empty_like(y)
    for h in range(4):
        for w in range(5):
            for i in range(s):
                for j in range(s):
                    for c in range(out_channels):
                        expected[:, h * s + i, w * s + j, c] = x[
                            :, h, w, (i * s + j) * out_channels + c
                        ]
    np.testing.assert_array_equal(y, expected)


def test_output_shape_with_dynamic_sides_and_saving(tmp_path):
    layer = SubPixelUpsampling(2)
    assert layer.compute_output_shape((None, None, 7, 12)) == (None, None, 14, 3)
    inputs = keras.Input((None, None, 8))
    model = keras.Model(
        inputs, SubPixelUpsampling(2)(keras.layers.Conv2D(8, 3, padding="same")(inputs))
    )
    x = np.random.default_rng(1).normal(size=(1, 3, 5, 8)).astype("float32")
    assert model(x).shape == (1, 6, 10, 2)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert loaded.layers[-1].get_config()["scale"] == 2
    np.testing.assert_array_equal(model(x), loaded(x))


def test_converts_to_the_tflite_depth_to_space_builtin():
    inputs = keras.Input((None, None, 12))
    model = keras.Model(inputs, SubPixelUpsampling(2)(inputs))
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    flatbuffer = converter.convert()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tf.lite.Interpreter's deprecation notice
        interpreter = tf.lite.Interpreter(model_content=flatbuffer)
    ops = {op["op_name"] for op in interpreter._get_ops_details()}
    assert ops == {"DEPTH_TO_SPACE"}, ops
    x = np.random.default_rng(2).normal(size=(1, 3, 4, 12)).astype("float32")
    detail = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(detail["index"], x.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(detail["index"], x)
    interpreter.invoke()
    result = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_array_equal(result, model(x))


def test_bad_scale_and_channels_are_named():
    for bad in (1, 0, 2.5, True):
        with pytest.raises(ValueError, match="scale must be an int >= 2"):
            SubPixelUpsampling(bad)
    with pytest.raises(ValueError, match=r"divisible by scale\*\*2 = 4.*\(None, 8, 8, 6\)"):
        SubPixelUpsampling(2).build((None, 8, 8, 6))
    with pytest.raises(ValueError, match="rank 4"):
        SubPixelUpsampling(2).build((None, 8, 12))


class SubPixelUpsamplingLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test(self):
        n, h, w, s, c = 2, 3, 4, 2, 3
        x = np.arange(n * h * w * s * s * c, dtype="float32").reshape(n, h, w, s * s * c)
        # depth_to_space: channel (i * s + j) * C + c of pixel (h, w) -> pixel (h s + i, w s + j).
        expected = (
            x.reshape(n, h, w, s, s, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h * s, w * s, c)
        )
        self.run_layer_test(
            SubPixelUpsampling,
            init_kwargs={"scale": s},
            input_data=x,
            expected_output=keras.ops.convert_to_tensor(expected),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
        )
