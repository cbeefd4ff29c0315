"""The reference's learning-rate decay (solver.py): step-wise linear over the last iterations."""

import keras
from keras import ops

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.schedules.StarGANDecay")
class StarGANDecay(keras.optimizers.schedules.LearningRateSchedule):
    """yunjey/stargan's `update_lr`: after iteration k (counting from 1), when k is a
    multiple of `update_step` and k > num_iters - num_iters_decay, the rate drops by
    `initial_learning_rate / num_iters_decay`.

    That code lowers the rate by `update_step / num_iters_decay` of the decrement the
    paper describes ("linearly decay to 0"): with its defaults the rate ends at 0.999 of
    the initial one. `to_zero=True` drops by `initial * update_step / num_iters_decay`
    per update instead, reaching zero at num_iters (the paper's wording).

    The optimizer's step counts its own updates; the generator updates once every
    `n_critic` iterations, so its step s is iteration `(s + 1) * every - 1` (`every`
    = n_critic for the generator, 1 for the discriminator).
    """

    def __init__(
        self,
        initial_learning_rate: float = 1e-4,
        num_iters: int = 200000,
        num_iters_decay: int = 100000,
        update_step: int = 1000,
        every: int = 1,
        to_zero: bool = False,
    ):
        if int(num_iters_decay) < 1 or int(update_step) < 1 or int(every) < 1:
            raise ValueError(
                "num_iters_decay, update_step and every must be >= 1. Received: "
                f"{num_iters_decay}, {update_step}, {every}"
            )
        self.initial_learning_rate = float(initial_learning_rate)
        self.num_iters, self.num_iters_decay = int(num_iters), int(num_iters_decay)
        self.update_step, self.every, self.to_zero = int(update_step), int(every), bool(to_zero)

    def __call__(self, step):
        # Iterations completed before this update: updates at k <= done have happened.
        done = (ops.cast(step, "int64") + 1) * self.every - 1
        start = max(0, self.num_iters - self.num_iters_decay)
        updates = ops.maximum(0, done // self.update_step - start // self.update_step)
        drop = self.initial_learning_rate / self.num_iters_decay
        if self.to_zero:
            drop *= self.update_step
        rate = self.initial_learning_rate - ops.cast(updates, "float32") * drop
        return ops.maximum(rate, 0.0)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "num_iters": self.num_iters,
            "num_iters_decay": self.num_iters_decay,
            "update_step": self.update_step,
            "every": self.every,
            "to_zero": self.to_zero,
        }
