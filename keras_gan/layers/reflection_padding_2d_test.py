import keras
import numpy as np
import pytest
from keras.src import testing

from keras_gan.layers import ReflectionPadding2D


def test_matches_numpy_reflect_padding():
    x = np.arange(2 * 5 * 4 * 3, dtype="float32").reshape(2, 5, 4, 3)
    y = ReflectionPadding2D(3)(x)
    expected = np.pad(x, [(0, 0), (3, 3), (3, 3), (0, 0)], mode="reflect")
    np.testing.assert_array_equal(y, expected)


def test_output_shape_and_config():
    layer = ReflectionPadding2D(2)
    assert layer.compute_output_shape((None, 8, None, 3)) == (None, 12, None, 3)
    inputs = keras.Input((None, None, 3))
    model = keras.Model(inputs, layer(inputs))
    clone = keras.Model.from_config(model.get_config())
    x = np.random.default_rng(0).normal(size=(1, 6, 7, 3)).astype("float32")
    np.testing.assert_array_equal(model(x), clone(x))


def test_negative_padding_is_an_error():
    with pytest.raises(ValueError, match="padding"):
        ReflectionPadding2D(-1)


class ReflectionPadding2DLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test(self):
        ramp = np.arange(2 * 3 * 4 * 2, dtype="float32").reshape(2, 3, 4, 2)
        for padding in (0, 1, 2):
            expected = np.pad(
                ramp, [(0, 0), (padding, padding), (padding, padding), (0, 0)], "reflect"
            )
            self.run_layer_test(
                ReflectionPadding2D,
                init_kwargs={"padding": padding},
                input_data=ramp,
                expected_output=keras.ops.convert_to_tensor(expected),
                expected_num_trainable_weights=0,
                expected_num_non_trainable_weights=0,
                expected_num_seed_generators=0,
                expected_num_losses=0,
                supports_masking=False,
            )
