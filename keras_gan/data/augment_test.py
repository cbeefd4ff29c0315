import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data.augment import random_flip_left_right, resize_images, scale_to_unit_range


def test_scale_to_unit_range_endpoints():
    images = tf.constant([[0, 127, 128, 255]], tf.uint8)
    scaled = scale_to_unit_range(images)
    assert scaled.dtype == tf.float32
    np.testing.assert_allclose(
        scaled.numpy(), [[-1.0, 127 / 127.5 - 1, 128 / 127.5 - 1, 1.0]], atol=1e-6
    )
    assert scaled.numpy()[0, 0] == -1.0 and scaled.numpy()[0, 3] == 1.0


def test_scale_to_unit_range_clips_float_round_off():
    scaled = scale_to_unit_range(tf.constant([-0.001, 255.0001]))
    assert scaled.numpy().tolist() == [-1.0, 1.0]


def test_resize_images_shapes_and_dtype():
    batch = tf.zeros((2, 40, 30, 3), tf.uint8)
    assert resize_images(batch, 16).shape == (2, 16, 16, 3)
    single = resize_images(tf.zeros((40, 30, 1)), (8, 12))
    assert single.shape == (8, 12, 1)
    assert single.dtype == tf.float32


def test_resize_images_antialias_averages_and_keeps_range():
    # A fine 1-pixel checkerboard averages to mid gray when downscaled 8x with antialiasing.
    board = (np.indices((64, 64)).sum(axis=0) % 2 * 255).astype(np.uint8)[None, ..., None]
    small = resize_images(tf.constant(board), 8).numpy()
    np.testing.assert_allclose(small, 127.5, atol=20)
    assert small.min() >= 0 and small.max() <= 255


def test_resize_images_same_size_is_identity():
    images = tf.random.uniform((1, 7, 9, 3))
    np.testing.assert_array_equal(resize_images(images, (7, 9)).numpy(), images.numpy())


def test_resize_images_rejects_bad_size():
    with pytest.raises(ValueError, match="image_size"):
        resize_images(tf.zeros((4, 4, 1)), 0)


def test_random_flip_left_right_per_image_and_deterministic():
    images = tf.random.uniform((64, 5, 7, 3), seed=0)
    flipped = random_flip_left_right(images, seed=3).numpy()
    again = random_flip_left_right(images, seed=tf.constant([3, 0])).numpy()
    np.testing.assert_array_equal(flipped, again)
    mirrored = images.numpy()[:, :, ::-1]
    is_flipped = [np.array_equal(f, m) for f, m in zip(flipped, mirrored, strict=True)]
    is_same = [np.array_equal(f, i) for f, i in zip(flipped, images.numpy(), strict=True)]
    assert all(a != b for a, b in zip(is_flipped, is_same, strict=True))
    assert 10 < sum(is_flipped) < 54


def test_random_flip_left_right_single_image():
    image = tf.reshape(tf.range(6, dtype=tf.float32), (1, 6, 1))
    outputs = {tuple(random_flip_left_right(image, seed=s).numpy().ravel()) for s in range(20)}
    assert outputs == {(0, 1, 2, 3, 4, 5), (5, 4, 3, 2, 1, 0)}
