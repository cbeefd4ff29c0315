import keras
import numpy as np
import pytest
from keras.src import testing

from keras_gan.layers.inference_clip import InferenceClip


class InferenceClipLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def _run(self, x, expected, call_kwargs=None):
        self.run_layer_test(
            InferenceClip,
            init_kwargs={"minimum": -0.5, "maximum": 0.25},
            input_data=x,
            call_kwargs=call_kwargs,
            expected_output=expected,
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
        )

    def test_clips_at_inference(self):
        x = np.linspace(-2.0, 2.0, 18, dtype="float32").reshape(2, 9)
        self._run(x, keras.ops.convert_to_tensor(np.clip(x, -0.5, 0.25)))

    def test_passes_values_through_in_training(self):
        x = np.linspace(-2.0, 2.0, 18, dtype="float32").reshape(2, 9)
        self._run(x, keras.ops.convert_to_tensor(x), call_kwargs={"training": True})


def test_minimum_must_be_below_maximum():
    with pytest.raises(ValueError, match="minimum must be below maximum"):
        InferenceClip(1.0, 1.0)
