import keras
import numpy as np
import pytest

from keras_gan.schedules import LinearDecay


def test_constant_then_linear_per_epoch_as_the_reference():
    schedule = LinearDecay(2e-4, n_epochs=3, n_epochs_decay=4, steps_per_epoch=10)
    per_epoch = [float(schedule(epoch * 10 + 9)) for epoch in range(7)]
    # Reference: lr * (1 - max(0, epoch + 1 - n_epochs) / (n_epochs_decay + 1)).
    expected = [2e-4 * (1 - max(0, e + 1 - 3) / 5) for e in range(7)]
    np.testing.assert_allclose(per_epoch, expected, rtol=1e-6)
    assert float(schedule(0)) == pytest.approx(2e-4)
    assert float(schedule(30)) == pytest.approx(2e-4 * 4 / 5)  # first step of epoch 3


def test_steps_within_an_epoch_share_the_rate():
    schedule = LinearDecay(1.0, n_epochs=1, n_epochs_decay=2, steps_per_epoch=5)
    assert len({float(schedule(s)) for s in range(5, 10)}) == 1


def test_the_schedule_survives_optimizer_serialization():
    optimizer = keras.optimizers.Adam(LinearDecay(1e-3, 2, 2, 7), beta_1=0.5)
    restored = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert isinstance(restored._learning_rate, LinearDecay)
    assert restored._learning_rate.get_config() == optimizer._learning_rate.get_config()


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="steps_per_epoch"):
        LinearDecay(1e-3, 1, 1, steps_per_epoch=0)
    with pytest.raises(ValueError, match="n_epochs_decay"):
        LinearDecay(1e-3, 1, -1)
