import keras
import numpy as np
import pytest
from keras.src import testing

from keras_gan.layers.leaky_difference_relu import LeakyDifferenceReLU


@pytest.mark.parametrize("slope", [0.01, 0.2, 0.5])
def test_equals_relu(slope):
    x = np.concatenate(
        [np.random.default_rng(0).normal(0, 3, 1000), [0.0, -1e-6, 1e-6, -50.0, 50.0]]
    ).astype("float32")
    got = keras.ops.convert_to_numpy(LeakyDifferenceReLU(slope)(x))
    np.testing.assert_allclose(got, np.maximum(x, 0), rtol=1e-6, atol=1e-7)
    assert (got[x <= 0] == 0).all()  # exactly 0, not a small leak


def test_serializes():
    layer = LeakyDifferenceReLU(0.1, name="up_relu")
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert isinstance(restored, LeakyDifferenceReLU)
    assert restored.slope == 0.1 and restored.name == "up_relu"


@pytest.mark.parametrize("slope", [0.0, 1.0, -0.2])
def test_slope_outside_0_1_is_refused(slope):
    with pytest.raises(ValueError, match="slope must be in"):
        LeakyDifferenceReLU(slope)


class LeakyDifferenceReLULayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test(self):
        x = np.linspace(-3.0, 3.0, 26, dtype="float32").reshape(2, 13)
        self.run_layer_test(
            LeakyDifferenceReLU,
            init_kwargs={"slope": 0.2},
            input_data=x,
            expected_output=keras.ops.convert_to_tensor(np.maximum(x, 0)),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
        )
