"""Unpaired image-to-image data (CycleGAN), in the layout of pytorch-CycleGAN-and-pix2pix.

A data set root holds `trainA/`, `trainB/`, `testA/` and `testB/`. The two sides are read
independently: each is shuffled on its own and repeated, and one epoch is
`max(len(A), len(B))` examples, so the larger side is seen once per epoch, as in the
reference's `UnalignedDataset`. Each image gets its own crop and flip.
"""

from __future__ import annotations

import os

import numpy as np
import tensorflow as tf

from keras_gan.data.checks import check_batch_size, check_directory
from keras_gan.data.image_files import readable_image_files
from keras_gan.data.paired import (
    AUTOTUNE,
    check_channel_pair,
    check_limit,
    check_sizes,
    decode_image,
    element_seeds,
    transform_images,
)
from keras_gan.data.pipeline import prefetch


def unpaired_dataset(
    path: str | os.PathLike,
    split: str = "train",
    image_size: int = 256,
    load_size: int | None = None,
    channels: int | tuple[int, int] = (3, 3),
    batch_size: int = 1,
    augment: bool = True,
    shuffle: bool = True,
    seed: int | None = 0,
    drop_remainder: bool = True,
    repeat: bool = False,
) -> tf.data.Dataset:
    """Batches of `(a, b)` images from `path/<split>A/` and `path/<split>B/`, in `[-1, 1]`.

    Files are read from each folder and its sub-folders; unreadable ones are skipped with
    one `CorruptImageWarning` per folder. Decoding and conversions are as in
    `keras_gan.data.paired_dataset`.

    Args:
        path: the data set root.
        split: the folder prefix: `"train"` reads `trainA/` and `trainB/`.
        image_size: the side of the square images yielded.
        load_size: with `augment`, the side each image is resized to before its random
            crop; defaults to `image_size * 286 / 256`.
        channels: the `(A, B)` channel counts, each 1 or 3 (an int for both).
        batch_size: pairs of images per batch.
        augment: resize to `load_size`, random crop to `image_size` and random flip, drawn
            separately for `a` and `b`; when False, resize straight to `image_size`.
        shuffle: shuffle each side on its own, again every epoch; when False both sides
            run in sorted order, the shorter one cycling, with the same crops and flips
            on every pass.
        seed: makes shuffling, crops and flips reproducible; None for fresh randomness.
        drop_remainder: drop the last batch when smaller than `batch_size`.
        repeat: repeat forever (use `steps_per_epoch` in `fit`).

    Returns:
        A `tf.data.Dataset` of `(a, b)`, each `[batch, image_size, image_size, C]`; an
        epoch holds `max(len(A), len(B))` pairs.

    Raises:
        ValueError: on a missing or empty `<split>A/` or `<split>B/` (named), or bad arguments.
    """
    load_size = check_sizes(image_size, load_size)
    channels_a, channels_b = check_channel_pair(channels)
    batch_size = check_batch_size(batch_size)
    a_paths, b_paths = _list_sides(path, split)
    length = max(len(a_paths), len(b_paths))
    if drop_remainder and length < batch_size:
        raise ValueError(
            f"Only {length} readable image(s) per side in {os.fspath(path)!r}, fewer than "
            f"batch_size={batch_size}: lower `batch_size` or pass drop_remainder=False."
        )
    dataset = tf.data.Dataset.zip(
        _side(a_paths, shuffle, seed),
        _side(b_paths, shuffle, None if seed is None else seed + 1),
        element_seeds(seed, 2, shuffle),
    ).take(length)
    if repeat:
        dataset = dataset.repeat()

    def load(a_path, b_path, element_seed):
        seed_a, seed_b = tf.unstack(tf.random.experimental.stateless_split(element_seed, 2))
        a = decode_image(a_path, channels_a, load_size)
        b = decode_image(b_path, channels_b, load_size)
        (a,) = transform_images([a], image_size, load_size, seed_a, augment)
        (b,) = transform_images([b], image_size, load_size, seed_b, augment)
        return a, b

    dataset = dataset.map(load, num_parallel_calls=AUTOTUNE).ignore_errors()
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder, num_parallel_calls=AUTOTUNE)
    return prefetch(dataset)


def unpaired_examples(
    path: str | os.PathLike,
    split: str = "test",
    image_size: int = 256,
    channels: int | tuple[int, int] = (3, 3),
    limit: int | None = 8,
) -> tuple[np.ndarray, np.ndarray]:
    """The first `limit` images of each side in sorted order, resized, for evaluation.

    Returns:
        `(a, b)` float32 NumPy arrays `[n, image_size, image_size, C]` in `[-1, 1]`, no
        augmentation; the sides may differ in length. `limit=None` reads every image.
    """
    check_sizes(image_size, None)
    channels = check_channel_pair(channels)
    check_limit(limit)
    sides = _list_sides(path, split)
    arrays = []
    for paths, side_channels in zip(sides, channels, strict=True):
        paths = paths[:limit]
        dataset = tf.data.Dataset.from_tensor_slices(tf.constant(paths, tf.string))

        def load(path, side_channels=side_channels):
            image = decode_image(path, side_channels, image_size)
            return transform_images([image], image_size, image_size, None, False)[0]

        dataset = dataset.map(load, num_parallel_calls=AUTOTUNE).ignore_errors()
        batches = [batch.numpy() for batch in dataset.batch(len(paths))]
        shape = (0, image_size, image_size, side_channels)
        arrays.append(np.concatenate(batches) if batches else np.zeros(shape, np.float32))
    return arrays[0], arrays[1]


def _list_sides(path: str | os.PathLike, split: str) -> tuple[list[str], list[str]]:
    root = check_directory(path)
    folders = [os.path.join(root, f"{split}{side}") for side in "AB"]
    for folder in folders:
        if not os.path.isdir(folder):
            found = sorted(e for e in os.listdir(root) if os.path.isdir(os.path.join(root, e)))
            raise ValueError(
                f"Folder {folder!r} not found: an unpaired data set needs {split}A/ and "
                f"{split}B/ in {root!r}; found sub-folders: {', '.join(found) or 'none'}."
            )
    a_paths = readable_image_files(folders[0], stacklevel=4)
    b_paths = readable_image_files(folders[1], stacklevel=4)
    return a_paths, b_paths


def _side(paths: list[str], shuffle: bool, seed: int | None) -> tf.data.Dataset:
    dataset = tf.data.Dataset.from_tensor_slices(tf.constant(paths, tf.string))
    if shuffle:
        dataset = dataset.shuffle(len(paths), seed=seed, reshuffle_each_iteration=True)
    return dataset.repeat()
