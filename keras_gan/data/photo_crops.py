"""Random crops of a folder of photos, at random scales: training data for colorization
and style transfer (any task that needs images only, no pairs).
"""

from __future__ import annotations

import os
from collections.abc import Collection

import tensorflow as tf

from keras_gan.data.checks import check_batch_size, check_directory
from keras_gan.data.crops import detailed_random_crops, photos_at_least
from keras_gan.data.image_files import readable_image_files
from keras_gan.data.paired import decode_image, element_seeds
from keras_gan.data.pipeline import prefetch, shuffle_and_repeat

AUTOTUNE = tf.data.AUTOTUNE


def photo_crop_dataset(
    folder: str | os.PathLike,
    crop_size: int,
    batch_size: int = 8,
    max_zoom_out: float = 4.0,
    crops_per_image: int = 8,
    repeat: bool = True,
    shuffle: bool = True,
    seed: int | None = 0,
    cache: bool = True,
    min_std: float = 2.0,
    exclude: Collection[str] = (),
) -> tf.data.Dataset:
    """Batches of RGB crops [B, crop_size, crop_size, 3], float32 in [-1, 1].

    Each photo (sub-folders too; corrupt files skipped with a warning, photos smaller
    than the crop skipped with a warning) is first shrunk so that its short side is a
    random length between `crop_size` and `max_zoom_out * crop_size` (never enlarged),
    so crops show whole objects as well as texture; then `crops_per_image` random crops
    are cut and each is flipped left-right with probability 1/2. Flat crops (pixel
    standard deviation below `min_std` grey levels: a blown-out sky, a black border)
    are replaced by other random crops of the same photo where it has any: they carry
    no signal, and under instance normalization they blow gradients up.

    Args:
        folder: the folder of photos.
        crop_size: side of the square crops.
        batch_size: crops per batch.
        max_zoom_out: the largest short side drawn, in crop sizes.
        crops_per_image: crops cut from each photo per pass.
        repeat: repeat forever (use `steps_per_epoch` in `fit`).
        shuffle: shuffle the photos every epoch, and the crops among photos; when False,
            every pass gives the same crops (held-out data).
        seed: makes the scales, crops and flips reproducible; None for fresh randomness.
        cache: keep the decoded photos in memory after the first pass.
        min_std: crops whose pixel standard deviation (on 0..255) is below this are
            avoided; 0 keeps every crop.
        exclude: paths of photos in `folder` to leave out (held back for calibration).
    """
    if not isinstance(crop_size, int) or crop_size < 8:
        raise ValueError(f"`crop_size` must be an int >= 8. Received: crop_size={crop_size!r}")
    if not max_zoom_out >= 1.0:
        raise ValueError(f"`max_zoom_out` must be >= 1. Received: max_zoom_out={max_zoom_out!r}")
    if not min_std >= 0.0:
        raise ValueError(f"`min_std` must be >= 0. Received: min_std={min_std!r}")
    batch_size = check_batch_size(batch_size)
    folder = check_directory(folder)
    left_out = {os.path.abspath(path) for path in exclude}
    files = [
        p for p in readable_image_files(folder, stacklevel=3) if os.path.abspath(p) not in left_out
    ]
    if not files:
        raise ValueError(f"No photo of {folder!r} is left to train on (exclude={len(left_out)}).")
    paths = photos_at_least(files, crop_size, folder)

    dataset = tf.data.Dataset.from_tensor_slices(tf.constant(paths, tf.string))
    dataset = dataset.map(lambda p: decode_image(p, 3, 0), num_parallel_calls=AUTOTUNE)
    dataset = dataset.ignore_errors()
    if cache:
        dataset = dataset.cache()
    dataset = shuffle_and_repeat(dataset, len(paths), shuffle, seed, repeat)
    dataset = tf.data.Dataset.zip(dataset, element_seeds(seed, 1, shuffle))

    def crops(image, image_seed):
        scale_seed, crop_seed, flip_seed = tf.unstack(
            tf.random.experimental.stateless_split(image_seed, 3)
        )
        height, width = tf.shape(image)[0], tf.shape(image)[1]
        short = tf.cast(tf.minimum(height, width), tf.float32)
        longest_short = tf.minimum(short, max_zoom_out * crop_size)
        target = tf.random.stateless_uniform([], scale_seed, float(crop_size), longest_short + 1)
        factor = tf.minimum(target / short, 1.0)
        size = tf.maximum(
            tf.cast(tf.round(tf.cast([height, width], tf.float32) * factor), tf.int32), crop_size
        )
        resized = tf.image.resize(image, size, method="area")
        resized = tf.cast(tf.clip_by_value(tf.round(resized), 0, 255), tf.uint8)
        cut = detailed_random_crops(resized, crop_size, crops_per_image, crop_seed, min_std)
        flips = tf.random.stateless_uniform([crops_per_image], flip_seed) < 0.5
        return tf.where(flips[:, None, None, None], tf.reverse(cut, axis=[2]), cut)

    dataset = dataset.map(crops, num_parallel_calls=AUTOTUNE).unbatch()
    if shuffle:
        buffer = crops_per_image * min(len(paths), 16)
        dataset = dataset.shuffle(buffer, seed=None if seed is None else seed + 2)
    dataset = dataset.map(
        lambda crop: tf.cast(crop, tf.float32) / 127.5 - 1.0, num_parallel_calls=AUTOTUNE
    )
    dataset = dataset.batch(batch_size, drop_remainder=True)
    return prefetch(dataset)
