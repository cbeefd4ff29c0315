"""The shared test harness: each family's test supplies tiny kwargs and calls the runners."""

from keras_gan.testing.gan_test_case import (
    fashion_mnist_batch,
    run_fit_runner,
    run_generate_runner,
    run_saving_runner,
    run_serialization_runner,
)

__all__ = [
    "fashion_mnist_batch",
    "run_fit_runner",
    "run_generate_runner",
    "run_saving_runner",
    "run_serialization_runner",
]
