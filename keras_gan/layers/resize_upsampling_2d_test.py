import keras
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_gan.layers.resize_upsampling_2d import ResizeUpsampling2D


def test_nearest_repeats_pixels():
    x = np.arange(2 * 3 * 2 * 4, dtype="float32").reshape(2, 3, 2, 4)
    expected = np.repeat(np.repeat(x, 3, axis=1), 3, axis=2)
    np.testing.assert_array_equal(ResizeUpsampling2D(3)(x), expected)
    assert ResizeUpsampling2D(2).compute_output_shape((None, 3, None, 4)) == (None, 6, None, 4)


def test_bilinear_matches_tf_image_resize_and_keeps_flat_images():
    x = np.random.default_rng(0).uniform(-1, 1, (1, 5, 7, 3)).astype("float32")
    layer = ResizeUpsampling2D(4, "bilinear")
    expected = tf.image.resize(x, (20, 28), method="bilinear")
    np.testing.assert_allclose(layer(x), expected, atol=1e-6)
    flat = np.full((1, 4, 4, 3), 0.25, "float32")
    np.testing.assert_allclose(layer(flat), np.full((1, 16, 16, 3), 0.25), atol=1e-6)


def test_config_round_trip_and_bad_arguments():
    layer = ResizeUpsampling2D(4, "bilinear", name="up")
    again = ResizeUpsampling2D.from_config(layer.get_config())
    assert (again.factor, again.interpolation, again.name) == (4, "bilinear", "up")
    with pytest.raises(ValueError, match="factor"):
        ResizeUpsampling2D(1)
    with pytest.raises(ValueError, match="interpolation"):
        ResizeUpsampling2D(2, "bicubic")


class ResizeUpsampling2DLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def _run(self, init_kwargs, input_data, **expected):
        self.run_layer_test(
            ResizeUpsampling2D,
            init_kwargs=init_kwargs,
            input_data=input_data,
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            **expected,
        )

    def test_run_layer_test(self):
        ramp = np.arange(2 * 2 * 3 * 2, dtype="float32").reshape(2, 2, 3, 2)
        nearest = np.repeat(np.repeat(ramp, 3, axis=1), 3, axis=2)
        self._run({"factor": 3}, ramp, expected_output=keras.ops.convert_to_tensor(nearest))
        bilinear = {"factor": 2, "interpolation": "bilinear"}
        self._run(bilinear, ramp, expected_output_shape=(2, 4, 6, 2))
        flat = np.full((1, 3, 3, 2), 0.25, "float32")
        expected = keras.ops.convert_to_tensor(np.full((1, 6, 6, 2), 0.25, "float32"))
        self._run(bilinear, flat, expected_output=expected)
