import keras
import numpy as np
from keras.src import testing

from keras_gan.layers import SpatialConcatenate


def test_vectors_fill_every_position():
    features = np.random.default_rng(0).normal(size=(2, 3, 5, 4)).astype("float32")
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    out = np.asarray(SpatialConcatenate()([features, vectors]))
    assert out.shape == (2, 3, 5, 6)
    np.testing.assert_array_equal(out[..., :4], features)
    np.testing.assert_array_equal(
        out[..., 4:], np.broadcast_to(vectors[:, None, None], (2, 3, 5, 2))
    )


def test_unknown_sides_in_a_functional_model():
    images, vectors = keras.Input((None, None, 3)), keras.Input((5,))
    model = keras.Model([images, vectors], SpatialConcatenate()([images, vectors]))
    assert model.output.shape[-1] == 8
    out = model([np.zeros((1, 4, 6, 3), "float32"), np.ones((1, 5), "float32")])
    assert tuple(out.shape) == (1, 4, 6, 8)


class SpatialConcatenateLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test(self):
        features = np.arange(2 * 2 * 3 * 1, dtype="float32").reshape(2, 2, 3, 1)
        vectors = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
        expected = np.concatenate(
            [features, np.broadcast_to(vectors[:, None, None], (2, 2, 3, 2))], axis=-1
        )
        self.run_layer_test(
            SpatialConcatenate,
            init_kwargs={},
            input_data=(features, vectors),
            expected_output=keras.ops.convert_to_tensor(expected),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
        )
