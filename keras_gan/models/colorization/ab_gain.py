"""`ABGain`: the colorizer's factor on its predicted ab channels (calibrated, not trained)."""

import keras

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.ABGain")
class ABGain(keras.layers.Layer):
    """Multiplies its input by a scalar kept as a non-trainable weight.

    A regression colorizer's ab are its estimate of the mean colour; on photos unlike
    its training photos that estimate is noisy, and shrinking it toward gray (ab = 0)
    lowers the expected error. The factor is chosen on photos the network did not train
    on (`Colorizer.calibrate_ab_gain`) and saved with the weights; weight files written
    before this layer existed load with the factor left at `gain`.

    Args:
        gain: the initial factor (1: the network's own ab).
    """

    def __init__(self, gain: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        if not gain >= 0:
            raise ValueError(f"ABGain gain must be >= 0. Received: gain={gain}")
        self._gain = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(float(gain)),
            trainable=False,
            name="gain",
            dtype="float32",
        )

    @property
    def gain(self) -> float:
        """The factor, as set (the float32 weight rounded to 6 decimals: 1.35, not 1.3500000238)."""
        return round(float(keras.ops.convert_to_numpy(self._gain)), 6)

    @gain.setter
    def gain(self, value: float) -> None:
        if not value >= 0:
            raise ValueError(f"ABGain gain must be >= 0. Received: {value}")
        self._gain.assign(float(value))

    def call(self, inputs):
        return inputs * keras.ops.cast(self._gain, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def load_own_variables(self, store):
        if len(store.keys()) == 0:  # a file from before the layer: keep the initial gain
            return
        super().load_own_variables(store)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
