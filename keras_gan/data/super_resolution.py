"""Super-resolution training pairs made on the fly from any folder of photos.

High-resolution (HR) crops are cut at random from the photos and turned by a random
flip and quarter turn; the low-resolution (LR) input is the crop shrunk by the scale
factor with `downscale`, optionally degraded further. Every resize here is
`tf.image.resize(..., "bicubic", antialias=True)`: Keys' cubic kernel (a = -0.5, as
PIL's BICUBIC and MATLAB's `imresize`), widened by the scale when shrinking so that it
averages instead of aliasing. `bicubic_upscale`, the baseline a model must beat, uses
the same kernel in the other direction.
"""

from __future__ import annotations

import math
import os

import numpy as np
import tensorflow as tf

from keras_gan.data.augment import scale_to_unit_range
from keras_gan.data.checks import check_batch_size, check_directory
from keras_gan.data.crops import photos_at_least, random_crops
from keras_gan.data.image_files import readable_image_files
from keras_gan.data.paired import decode_image, element_seeds
from keras_gan.data.pipeline import prefetch, shuffle_and_repeat

AUTOTUNE = tf.data.AUTOTUNE
DEGRADATIONS = ("blur", "noise", "jpeg")
"""The optional degradations, always applied in this order."""

BLUR_SIGMA_RANGE = (0.2, 2.0)
"""Gaussian blur sigma, in HR pixels, drawn uniformly per crop ("blur")."""
NOISE_STDDEV_RANGE = (0.0, 10.0 / 255.0)
"""Gaussian noise standard deviation, as a fraction of the full range, drawn per crop ("noise")."""
JPEG_QUALITY_RANGE = (30, 95)
"""JPEG quality drawn per crop ("jpeg")."""

_BLUR_RADIUS = math.ceil(3 * BLUR_SIGMA_RANGE[1])


def super_resolution_dataset(
    folder: str | os.PathLike,
    scale: int,
    high_res_size: int,
    batch_size: int = 16,
    degradations: tuple[str, ...] | list[str] = (),
    repeat: bool = True,
    shuffle: bool = True,
    seed: int | None = 0,
    crops_per_image: int = 8,
    cache: bool = False,
    drop_remainder: bool = True,
) -> tf.data.Dataset:
    """Batches of `(low_res, high_res)` float32 NHWC pairs in `[-1, 1]`.

    Every readable image under `folder` (sub-folders too; corrupt files are skipped with
    one `CorruptImageWarning`) is decoded at full resolution by Pillow, as RGB. Photos
    with a side smaller than `high_res_size` are skipped, not upscaled (an upscaled photo
    would teach the model blurry targets), with one `SmallImageWarning`.

    Each decoded photo gives `crops_per_image` random square HR crops (shuffled among the
    crops of other photos); each crop is flipped left-right with probability 1/2 and
    turned by a random multiple of 90 degrees. The LR image is made from the HR crop:

    - `"blur"` (optional): Gaussian blur of the HR crop, sigma uniform in
      `BLUR_SIGMA_RANGE` HR pixels;
    - always: `downscale` by `scale` (bicubic, antialiased);
    - `"noise"` (optional): additive Gaussian noise, standard deviation uniform in
      `NOISE_STDDEV_RANGE` of the full range;
    - `"jpeg"` (optional): JPEG compression, quality uniform in `JPEG_QUALITY_RANGE`;

    then clipped to `[-1, 1]`. Without degradations, `low_res == downscale(high_res)`.

    Args:
        folder: the folder of photos.
        scale: the super-resolution factor, an int >= 2.
        high_res_size: side of the HR crops, a multiple of `scale`; the LR side is
            `high_res_size // scale`.
        batch_size: pairs per batch.
        degradations: any of `"blur"`, `"noise"`, `"jpeg"`.
        repeat: repeat forever (use `steps_per_epoch` in `fit`).
        shuffle: shuffle the photos every epoch, and the crops among photos; when False,
            every pass gives the same crops and degradations (held-out data).
        seed: makes the shuffles, crops, turns and degradations reproducible; None for
            fresh randomness.
        crops_per_image: crops cut from each decoded photo.
        cache: keep the decoded photos in memory after the first epoch (for folders
            that fit in memory: decoding is then done once).
        drop_remainder: drop the last batch when smaller than `batch_size`.

    Returns:
        A `tf.data.Dataset` of `(low_res [B, s, s, 3], high_res [B, S, S, 3])` with
        `S = high_res_size` and `s = S // scale`.

    Raises:
        ValueError: on a missing folder, no readable photo at least `high_res_size` on
            each side, or bad arguments.
    """
    scale = _check_scale(scale)
    if _not_positive_int(high_res_size) or high_res_size % scale:
        raise ValueError(
            f"`high_res_size` must be a positive multiple of scale={scale}. "
            f"Received: high_res_size={high_res_size!r}"
        )
    batch_size = check_batch_size(batch_size)
    degradations = _check_degradations(degradations)
    if "blur" in degradations and high_res_size <= _BLUR_RADIUS:
        raise ValueError(
            f"The blur degradation needs high_res_size > {_BLUR_RADIUS}. "
            f"Received: high_res_size={high_res_size!r}"
        )
    if _not_positive_int(crops_per_image):
        raise ValueError(
            f"`crops_per_image` must be a positive int. Received: crops_per_image={crops_per_image!r}"
        )
    folder = check_directory(folder)
    paths = photos_at_least(readable_image_files(folder, stacklevel=3), high_res_size, folder)
    size = int(high_res_size)

    def decode(path):
        return decode_image(path, 3, 0)

    dataset = tf.data.Dataset.from_tensor_slices(tf.constant(paths, tf.string))
    if cache:
        dataset = dataset.map(decode, num_parallel_calls=AUTOTUNE).ignore_errors().cache()
    dataset = shuffle_and_repeat(dataset, len(paths), shuffle, seed, repeat)
    if not cache:
        dataset = dataset.map(decode, num_parallel_calls=AUTOTUNE).ignore_errors()
    # A file can change after listing: never crop a photo smaller than the crop.
    dataset = dataset.filter(lambda image: tf.reduce_min(tf.shape(image)[:2]) >= size)
    dataset = tf.data.Dataset.zip(dataset, element_seeds(seed, 1, shuffle))
    dataset = dataset.map(
        lambda image, crop_seed: random_crops(image, size, crops_per_image, crop_seed),
        num_parallel_calls=AUTOTUNE,
    ).unbatch()
    if shuffle:
        buffer = crops_per_image * min(len(paths), 16)
        dataset = dataset.shuffle(buffer, seed=None if seed is None else seed + 2)
    dataset = tf.data.Dataset.zip(dataset, element_seeds(seed, 3, shuffle))
    dataset = dataset.map(
        lambda crop, pair_seed: _make_pair(crop, scale, degradations, pair_seed),
        num_parallel_calls=AUTOTUNE,
    )
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder, num_parallel_calls=AUTOTUNE)
    return prefetch(dataset)


def downscale(images, scale: int) -> tf.Tensor:
    """Shrinks images by `scale` as `super_resolution_dataset` makes its LR inputs.

    Use it to make held-out LR inputs the same way as in training.

    Args:
        images: float `[N, H, W, C]` or `[H, W, C]` in `[-1, 1]` (NumPy or tensor); H and
            W must be multiples of `scale` (see `crop_to_multiple`).
        scale: an int >= 2.

    Returns:
        A float32 tensor `[N, H // scale, W // scale, C]` (or rank 3), clipped to `[-1, 1]`.
    """
    scale = _check_scale(scale)
    images = _as_images(images)
    height, width = _sides(images)
    static = images.shape[-3:-1]
    if any(side is not None and side % scale for side in static):
        raise ValueError(
            f"Image sides must be multiples of scale={scale} to downscale; crop them first "
            f"(crop_to_multiple). Received: images of shape {tuple(images.shape)}"
        )
    return _resize(images, height // scale, width // scale)


def bicubic_upscale(images, scale: int) -> tf.Tensor:
    """Enlarges images by `scale` with bicubic interpolation: the baseline SR must beat.

    Args:
        images: float `[N, h, w, C]` or `[h, w, C]` in `[-1, 1]` (NumPy or tensor).
        scale: an int >= 2.

    Returns:
        A float32 tensor `[N, h * scale, w * scale, C]` (or rank 3), clipped to `[-1, 1]`.
    """
    scale = _check_scale(scale)
    images = _as_images(images)
    height, width = _sides(images)
    return _resize(images, height * scale, width * scale)


def crop_to_multiple(images, multiple: int):
    """Crops the bottom and right edges so that both sides are multiples of `multiple`.

    Args:
        images: `[N, H, W, C]` or `[H, W, C]`, a NumPy array or a tensor.
        multiple: a positive int (the scale factor, for `downscale`).

    Returns:
        The same kind of array, `[..., H - H % multiple, W - W % multiple, C]`.
    """
    if _not_positive_int(multiple):
        raise ValueError(f"`multiple` must be a positive int. Received: multiple={multiple!r}")
    height, width = images.shape[-3], images.shape[-2]
    if height < multiple or width < multiple:
        raise ValueError(
            f"Images of shape {tuple(images.shape)} are smaller than multiple={multiple}."
        )
    return images[..., : height - height % multiple, : width - width % multiple, :]


# Private.


def _not_positive_int(value) -> bool:
    return isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1


def _check_scale(scale) -> int:
    if _not_positive_int(scale) or scale < 2:
        raise ValueError(f"`scale` must be an int >= 2. Received: scale={scale!r}")
    return int(scale)


def _check_degradations(degradations) -> tuple[str, ...]:
    if isinstance(degradations, str):
        degradations = (degradations,)
    unknown = [d for d in degradations if d not in DEGRADATIONS]
    if unknown:
        raise ValueError(
            f"Unknown degradation(s) {unknown}: expected any of {list(DEGRADATIONS)}. "
            f"Received: degradations={list(degradations)!r}"
        )
    return tuple(d for d in DEGRADATIONS if d in degradations)


def _as_images(images) -> tf.Tensor:
    images = tf.convert_to_tensor(images)
    if images.shape.rank not in (3, 4):
        raise ValueError(
            f"images must be [N, H, W, C] or [H, W, C]. Received: shape {tuple(images.shape)}"
        )
    return tf.cast(images, tf.float32)


def _sides(images: tf.Tensor):
    dynamic = tf.shape(images)
    rank = images.shape.rank
    return [
        images.shape[axis] if images.shape[axis] is not None else dynamic[axis]
        for axis in (rank - 3, rank - 2)
    ]


def _resize(images: tf.Tensor, height, width) -> tf.Tensor:
    resized = tf.image.resize(images, (height, width), method="bicubic", antialias=True)
    return tf.clip_by_value(tf.cast(resized, tf.float32), -1.0, 1.0)


def _make_pair(crop: tf.Tensor, scale: int, degradations: tuple[str, ...], seed: tf.Tensor):
    turn_seed, flip_seed, blur_seed, noise_seed, jpeg_seed = tf.unstack(
        tf.random.experimental.stateless_split(seed, 5)
    )
    high = scale_to_unit_range(crop)
    high = tf.image.stateless_random_flip_left_right(high, flip_seed)
    high = tf.image.rot90(high, tf.random.stateless_uniform([], turn_seed, 0, 4, tf.int32))
    source = high
    if "blur" in degradations:
        sigma = tf.random.stateless_uniform([], blur_seed, *BLUR_SIGMA_RANGE)
        source = _gaussian_blur(source, sigma)
    low = downscale(source, scale)
    if "noise" in degradations:
        noise_seed, stddev_seed = tf.unstack(tf.random.experimental.stateless_split(noise_seed, 2))
        stddev = 2.0 * tf.random.stateless_uniform([], stddev_seed, *NOISE_STDDEV_RANGE)
        low = low + stddev * tf.random.stateless_normal(tf.shape(low), noise_seed)
    if "jpeg" in degradations:
        unit = tf.clip_by_value((low + 1.0) * 0.5, 0.0, 1.0)
        low_quality, high_quality = JPEG_QUALITY_RANGE
        unit = tf.image.stateless_random_jpeg_quality(
            unit, low_quality, high_quality + 1, jpeg_seed
        )
        low = unit * 2.0 - 1.0
    size = crop.shape[0]
    low = tf.ensure_shape(tf.clip_by_value(low, -1.0, 1.0), [size // scale, size // scale, 3])
    return low, tf.ensure_shape(high, [size, size, 3])


def _gaussian_blur(image: tf.Tensor, sigma: tf.Tensor) -> tf.Tensor:
    """Separable Gaussian blur of one image [H, W, C], reflect-padded; sigma may be a tensor."""
    radius = _BLUR_RADIUS
    taps = tf.range(-radius, radius + 1, dtype=tf.float32)
    kernel = tf.exp(-0.5 * tf.square(taps / sigma))
    kernel = kernel / tf.reduce_sum(kernel)
    channels = image.shape[-1]
    padded = tf.pad(image[None], [[0, 0], [radius, radius], [radius, radius], [0, 0]], "REFLECT")
    vertical = tf.tile(tf.reshape(kernel, [-1, 1, 1, 1]), [1, 1, channels, 1])
    horizontal = tf.tile(tf.reshape(kernel, [1, -1, 1, 1]), [1, 1, channels, 1])
    blurred = tf.nn.depthwise_conv2d(padded, vertical, [1, 1, 1, 1], "VALID")
    blurred = tf.nn.depthwise_conv2d(blurred, horizontal, [1, 1, 1, 1], "VALID")
    return blurred[0]
