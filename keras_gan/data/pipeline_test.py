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


def test_unshuffled_photo_crops_are_the_same_on_every_pass(tmp_path):
    from PIL import Image
    from skimage import data

    from keras_gan.data.photo_crops import photo_crop_dataset
    from keras_gan.data.super_resolution import super_resolution_dataset

    Image.fromarray(data.astronaut()).save(tmp_path / "astronaut.png")
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.png")
    held_out = photo_crop_dataset(tmp_path, 64, batch_size=4, repeat=False, shuffle=False, seed=3)
    first, second = ([np.asarray(b) for b in held_out] for _ in range(2))
    assert len(first) == 4 and all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    pairs = super_resolution_dataset(tmp_path, 2, 32, 4, repeat=False, shuffle=False, seed=3)
    low = [[np.asarray(lo) for lo, _ in pairs] for _ in range(2)]
    assert all(np.array_equal(a, b) for a, b in zip(*low, strict=True)) and len(low[0]) == 4

    training = photo_crop_dataset(tmp_path, 64, batch_size=4, repeat=False, shuffle=True, seed=3)
    epochs = [np.concatenate([np.asarray(b) for b in training]) for _ in range(2)]
    assert not np.array_equal(np.sort(epochs[0].ravel()), np.sort(epochs[1].ravel()))
