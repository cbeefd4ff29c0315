"""Random square crops of photos, shared by the crop-based data sets
(`super_resolution_dataset`, `photo_crop_dataset`)."""

from __future__ import annotations

import warnings

import tensorflow as tf
from PIL import Image

_EXAMPLES_IN_WARNING = 3


class SmallImageWarning(UserWarning):
    """Issued once per listing when photos smaller than the crop were skipped."""


def photos_at_least(paths: list[str], size: int, folder: str) -> list[str]:
    """The photos whose sides are both at least `size`; one `SmallImageWarning` for the rest.

    Raises:
        ValueError: when no photo is large enough.
    """
    kept, small = [], []
    for path in paths:
        with Image.open(path) as image:  # reads the header only
            (kept if min(image.size) >= size else small).append(path)
    if not kept:
        raise ValueError(
            f"No photo in {folder!r} is at least {size}x{size} pixels: all {len(paths)} "
            "readable image(s) are smaller than the crop; lower the crop size."
        )
    if small:
        examples = ", ".join(repr(p) for p in small[:_EXAMPLES_IN_WARNING])
        more = ", ..." if len(small) > _EXAMPLES_IN_WARNING else ""
        warnings.warn(
            f"Skipped {len(small)} image(s) in {folder!r} smaller than the {size}x{size} "
            f"crop: {examples}{more}",
            SmallImageWarning,
            stacklevel=3,
        )
    return kept


def random_crops(image: tf.Tensor, size: int, count: int, seed: tf.Tensor) -> tf.Tensor:
    """`count` random `size` x `size` crops of `image` [H, W, 3]: `[count, size, size, 3]`.

    `seed` is a stateless seed (shape [2]); the image must be at least `size` on each side.
    """
    row_seed, col_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    shape = tf.shape(image)
    rows = tf.random.stateless_uniform([count], row_seed, 0, shape[0] - size + 1, tf.int32)
    cols = tf.random.stateless_uniform([count], col_seed, 0, shape[1] - size + 1, tf.int32)
    crops = tf.stack(
        [image[rows[i] : rows[i] + size, cols[i] : cols[i] + size] for i in range(count)]
    )
    return tf.ensure_shape(crops, [count, size, size, 3])


def detailed_random_crops(
    image: tf.Tensor, size: int, count: int, seed: tf.Tensor, min_std: float
) -> tf.Tensor:
    """As `random_crops`, but crops with detail come first.

    Cuts `2 * count` random candidates and keeps `count` of them, preferring those whose
    pixel standard deviation (on 0..255) is at least `min_std`, in their random order.
    Flat crops (a blown-out sky, a black border) teach nothing, and through a stack of
    instance normalizations they multiply gradients by `1/sqrt(epsilon)` per layer
    until they overflow. A photo with fewer detailed spots still yields `count` crops
    (some flat), so a data set never runs dry.
    """
    candidates = random_crops(image, size, 2 * count, seed)
    spread = tf.math.reduce_std(tf.cast(candidates, tf.float32), axis=[1, 2, 3])
    flat = tf.cast(spread < min_std, tf.int32)
    keep = tf.argsort(flat, stable=True)[:count]
    return tf.gather(candidates, keep)
