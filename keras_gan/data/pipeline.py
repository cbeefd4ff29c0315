"""The tf.data plumbing shared by the loaders: shuffle, decode, batch, flip, prefetch."""

from __future__ import annotations

import tensorflow as tf

from keras_gan.data.augment import random_flip_left_right, resize_images, scale_to_unit_range
from keras_gan.data.image_files import load_image_or_log

AUTOTUNE = tf.data.AUTOTUNE


def shuffle_and_repeat(
    dataset: tf.data.Dataset, size: int, shuffle: bool, seed: int | None, repeat: bool
) -> tf.data.Dataset:
    """Shuffles all `size` elements (reshuffled every epoch) and optionally repeats forever."""
    if shuffle:
        dataset = dataset.shuffle(size, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    return dataset


def prefetch(dataset: tf.data.Dataset) -> tf.data.Dataset:
    """The last stage of every loader: prefetching, with tf.data's model autotuning off.

    With autotuning on, dropping an iterator (the end of each `fit` epoch over a finite
    data set, and of every `fit` call) waits for the autotuner's next wake-up, at
    10 * (2**k - 1) ms after the iterator started, then every 60 s: measured on 2 CPU
    cores, two 12.8 s DCGAN epochs took 33.3 s in `fit` with it and 26.5 s without. Off,
    `AUTOTUNE` parallelism is the number of schedulable cores (at most 16), what the
    autotuner settles on for these decode-and-crop maps anyway. Re-enable it with
    `dataset.with_options(...)` (`autotune.enabled = True`) where a pipeline needs it.
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(AUTOTUNE).with_options(options)


def flip_and_prefetch(dataset: tf.data.Dataset, flip: bool, seed: int | None) -> tf.data.Dataset:
    """Flips each image of each batch at random (when `flip`), then prefetches.

    Elements are image batches or `(images, labels)` pairs. Flip seeds come from
    `tf.data.Dataset.random`: re-drawn every epoch, reproducible for a given `seed`.
    """
    if flip:
        flip_seed = None if seed is None else seed + 1
        seeds = tf.data.Dataset.random(seed=flip_seed, rerandomize_each_iteration=True)
        dataset = tf.data.Dataset.zip(dataset, seeds).map(_flip, num_parallel_calls=AUTOTUNE)
    return prefetch(dataset)


def _flip(element, random_value):
    seed = tf.stack([random_value, tf.constant(0, tf.int64)])
    if isinstance(element, tuple):
        images, labels = element
        return random_flip_left_right(images, seed), labels
    return random_flip_left_right(element, seed)


def image_file_dataset(
    paths: list[str],
    labels: list[int] | None,
    image_size: tuple[int, int],
    channels: int,
    batch_size: int,
    shuffle: bool,
    flip: bool,
    seed: int | None,
    drop_remainder: bool,
    repeat: bool,
) -> tf.data.Dataset:
    """Builds batches of `[B, H, W, channels]` float32 in `[-1, 1]` from image paths.

    Each file is decoded by Pillow in `tf.numpy_function`, resized with
    `resize_images` and scaled with `scale_to_unit_range`. A file that fails to decode
    (for example, changed after listing) is logged and dropped by `ignore_errors()`, so a
    long run never dies on one bad file. With `labels`, elements are
    `(images, labels int32 [B])`.
    """
    height, width = image_size
    min_size = max(height, width)

    def decode(path):
        image = tf.numpy_function(
            load_image_or_log, [path, channels, min_size], tf.uint8, stateful=False
        )
        image.set_shape([None, None, channels])
        return scale_to_unit_range(resize_images(image, image_size))

    if labels is None:
        dataset = tf.data.Dataset.from_tensor_slices(tf.constant(paths, tf.string))
        dataset = shuffle_and_repeat(dataset, len(paths), shuffle, seed, repeat)
        dataset = dataset.map(decode, num_parallel_calls=AUTOTUNE)
    else:
        dataset = tf.data.Dataset.from_tensor_slices(
            (tf.constant(paths, tf.string), tf.constant(labels, tf.int32))
        )
        dataset = shuffle_and_repeat(dataset, len(paths), shuffle, seed, repeat)
        dataset = dataset.map(lambda p, y: (decode(p), y), num_parallel_calls=AUTOTUNE)
    dataset = dataset.ignore_errors()
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder, num_parallel_calls=AUTOTUNE)
    return flip_and_prefetch(dataset, flip, seed)
