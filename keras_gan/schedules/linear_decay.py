"""The reference's `--lr_policy linear`: constant for `n_epochs`, then linear towards zero."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.schedules.LinearDecay")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Learning rate per epoch as pytorch-CycleGAN-and-pix2pix sets it.

    In epoch e (counting from 0) the rate is
    `initial_learning_rate * (1 - max(0, e + 1 - n_epochs) / (n_epochs_decay + 1))`:
    `n_epochs` epochs at the initial rate, then `n_epochs_decay` epochs that
    step down linearly (the last one at `1 / (n_epochs_decay + 1)` of it). The
    rate changes only at epoch boundaries, so the schedule needs the number of
    optimizer steps per epoch.

    Args:
        initial_learning_rate: the rate of the first `n_epochs` epochs.
        n_epochs: epochs at the initial rate.
        n_epochs_decay: epochs of linear decay.
        steps_per_epoch: optimizer steps in one epoch.
    """

    def __init__(
        self,
        initial_learning_rate: float = 2e-4,
        n_epochs: int = 100,
        n_epochs_decay: int = 100,
        steps_per_epoch: int = 1,
    ):
        for name, value in (
            ("n_epochs", n_epochs),
            ("n_epochs_decay", n_epochs_decay),
            ("steps_per_epoch", steps_per_epoch),
        ):
            if int(value) < (1 if name == "steps_per_epoch" else 0):
                raise ValueError(f"{name} is out of range. Received: {name}={value}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.n_epochs = int(n_epochs)
        self.n_epochs_decay = int(n_epochs_decay)
        self.steps_per_epoch = int(steps_per_epoch)

    def factor(self, epoch):
        """The multiplier of the initial rate in epoch `epoch` (counting from 0)."""
        late = ops.maximum(0.0, ops.cast(epoch, "float32") + 1.0 - self.n_epochs)
        return ops.maximum(0.0, 1.0 - late / float(self.n_epochs_decay + 1))

    def __call__(self, step):
        epoch = ops.floor_divide(ops.cast(step, "int64"), self.steps_per_epoch)
        return self.initial_learning_rate * self.factor(epoch)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "n_epochs": self.n_epochs,
            "n_epochs_decay": self.n_epochs_decay,
            "steps_per_epoch": self.steps_per_epoch,
        }
