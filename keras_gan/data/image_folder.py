"""Unconditional image folders: every image under a directory, no labels."""

from __future__ import annotations

import os

import tensorflow as tf

from keras_gan.data.checks import (
    check_batch_size,
    check_channels,
    check_directory,
    normalize_image_size,
)
from keras_gan.data.image_files import readable_image_files
from keras_gan.data.pipeline import image_file_dataset


def image_folder_dataset(
    directory: str | os.PathLike,
    image_size: int | tuple[int, int],
    channels: int = 3,
    batch_size: int = 64,
    shuffle: bool = True,
    flip: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
    repeat: bool = False,
) -> tf.data.Dataset:
    """Batches of every image under `directory`, float32 in `[-1, 1]`, NHWC.

    Files ending in .png, .jpg, .jpeg, .bmp, .gif or .webp (any case) are read from
    `directory` and its sub-folders. Each file is checked with Pillow when listed:
    unreadable ones (corrupt, truncated, not an image) are skipped and counted in one
    `CorruptImageWarning`. Images are decoded by Pillow (see `keras_gan.data.image_files`),
    converted to `channels`, resized to `image_size` (bilinear, antialiased, aspect ratio
    not kept) and scaled to `[-1, 1]`.

    Args:
        directory: the folder of images.
        image_size: an int (square) or a `(height, width)` pair.
        channels: 1 (grayscale) or 3 (RGB).
        batch_size: images per batch.
        shuffle: shuffle all files, again every epoch.
        flip: flip each image horizontally with probability 1/2.
        seed: makes shuffling and flips reproducible.
        drop_remainder: drop the last batch when smaller than `batch_size`.
        repeat: repeat forever (use `steps_per_epoch` in `fit`).

    Returns:
        A `tf.data.Dataset` of float32 `[batch_size, height, width, channels]`.

    Raises:
        ValueError: on a missing directory, a folder without readable images, or bad
            `image_size`, `channels` or `batch_size`.
    """
    directory = check_directory(directory)
    size = normalize_image_size(image_size)
    channels = check_channels(channels)
    batch_size = check_batch_size(batch_size)
    paths = readable_image_files(directory, stacklevel=3)
    return image_file_dataset(
        paths, None, size, channels, batch_size, shuffle, flip, seed, drop_remainder, repeat
    )
