import numpy as np
import tensorflow as tf

from keras_gan.data import fashion_mnist_dataset
from keras_gan.data.pipeline import prefetch


def test_prefetch_keeps_the_elements_and_turns_autotuning_off():
    dataset = tf.data.Dataset.range(10).map(lambda x: x * 2, num_parallel_calls=tf.data.AUTOTUNE)
    finished = prefetch(dataset)
    assert finished.options().autotune.enabled is False
    assert dataset.options().autotune.enabled is not False  # the input is left as it was
    assert [int(x) for x in finished] == list(range(0, 20, 2))


def test_the_loaders_end_with_autotuning_off():
    dataset = fashion_mnist_dataset(batch_size=8, split="test").take(2)
    assert dataset.options().autotune.enabled is False
    batches = [np.asarray(b) for b in dataset]
    assert [b.shape for b in batches] == [(8, 28, 28, 1)] * 2
    assert all(b.min() >= -1.0 and b.max() <= 1.0 for b in batches)
