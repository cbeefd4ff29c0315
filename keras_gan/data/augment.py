"""Small pure image helpers used by every loader: scaling, resizing and flips.

All take NHWC batches `[B, H, W, C]` or single images `[H, W, C]`.
"""

from __future__ import annotations

import tensorflow as tf

from keras_gan.data.checks import normalize_image_size


def scale_to_unit_range(images: tf.Tensor) -> tf.Tensor:
    """Maps pixel values in `[0, 255]` to float32 in `[-1, 1]`.

    `0 -> -1.0` and `255 -> 1.0` exactly. Accepts uint8 images or float images holding
    values in `[0, 255]` (for example after `resize_images`); the result is clipped to
    `[-1, 1]`, so round-off from resizing never leaves the range.

    Args:
        images: uint8 or float tensor of pixel values in `[0, 255]`.

    Returns:
        A float32 tensor with the same shape.
    """
    images = tf.cast(images, tf.float32)
    return tf.clip_by_value(images / 127.5 - 1.0, -1.0, 1.0)


def resize_images(images: tf.Tensor, size: int | tuple[int, int]) -> tf.Tensor:
    """Resizes images to `size` with bilinear interpolation and antialiasing.

    Antialiasing makes downscaling average over the source pixels instead of sampling
    them, and its triangle filter never overshoots, so values stay within the input range.
    The aspect ratio is not preserved: images are stretched to `size`.

    Args:
        images: `[B, H, W, C]` or `[H, W, C]` tensor, any real dtype.
        size: an int (square) or a `(height, width)` pair.

    Returns:
        A float32 tensor `[B, height, width, C]` (or `[height, width, C]`).
    """
    height, width = normalize_image_size(size)
    static = images.shape
    if static.rank is not None and tuple(static[-3:-1]) == (height, width):
        return tf.cast(images, tf.float32)
    resized = tf.image.resize(images, (height, width), method="bilinear", antialias=True)
    return tf.cast(resized, tf.float32)


def random_flip_left_right(images: tf.Tensor, seed: int | tf.Tensor) -> tf.Tensor:
    """Flips each image horizontally with probability 1/2, deterministically for a seed.

    In a batch every image gets its own coin flip. The same `seed` and input always give
    the same output (it uses `tf.image.stateless_random_flip_left_right`).

    Args:
        images: `[B, H, W, C]` or `[H, W, C]` tensor.
        seed: a Python int or an integer tensor of shape `[2]` (a stateless seed).

    Returns:
        A tensor with the same shape and dtype as `images`.
    """
    if isinstance(seed, int):
        seed = (seed, 0)
    seed = tf.cast(tf.convert_to_tensor(seed), tf.int64)
    return tf.image.stateless_random_flip_left_right(images, seed)
