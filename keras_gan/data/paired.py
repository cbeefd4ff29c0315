"""Paired image-to-image data (Pix2Pix), in the layouts of pytorch-CycleGAN-and-pix2pix.

Two layouts are recognised:

- aligned: every image file holds A and B side by side, A the left half and B the right
  half (split at `width // 2`), as written by the reference's `combine_A_and_B.py`;
- split folders: `A/` and `B/` sub-folders whose files pair up by name without the
  extension (`A/x.png` pairs with `B/x.jpg`; nested folders pair by relative path).

The augmentation is the reference's `resize_and_crop` plus flip: both images of a pair are
resized to `load_size` (bicubic), cropped at the same random offset to `image_size` and
flipped together. The helpers below are shared with `keras_gan.data.unpaired`.
"""

from __future__ import annotations

import logging
import os
import warnings

import numpy as np
import tensorflow as tf
from PIL import Image, ImageOps

from keras_gan.data.augment import scale_to_unit_range
from keras_gan.data.checks import check_batch_size, check_channels, check_directory
from keras_gan.data.image_files import (
    IMAGE_EXTENSIONS,
    _to_array,
    check_readable,
    list_image_files,
    load_image_or_log,
    readable_image_files,
    warn_unreadable,
)
from keras_gan.data.pipeline import prefetch, shuffle_and_repeat

AUTOTUNE = tf.data.AUTOTUNE
DIRECTIONS = ("AtoB", "BtoA")
_NAMES_IN_WARNING = 10
_logger = logging.getLogger(__name__)


class UnpairedFileWarning(UserWarning):
    """Issued once per listing when files in `A/` or `B/` have no partner and were skipped."""


def paired_files(path: str | os.PathLike, split: str | None = None) -> list[tuple[str, str | None]]:
    """Lists the readable pairs of a paired data set, sorted.

    Args:
        path: an aligned folder, a folder holding `A/` and `B/`, or a data set root.
        split: when set, reads `path/<split>` (or `path/A/<split>` with `path/B/<split>`);
            a root holding only `train/`, `val/` or `test/` folders needs it.

    Returns:
        `(a_path, b_path)` per pair for split folders; `(path, None)` per aligned file.
        Unpartnered and unreadable files are left out with one warning each.

    Raises:
        ValueError: on a missing folder, a root without `split`, no images or no pairs.
    """
    return _list_pairs(path, split, stacklevel=3)


def paired_dataset(
    path: str | os.PathLike,
    image_size: int = 256,
    load_size: int | None = None,
    channels: int | tuple[int, int] = (3, 3),
    batch_size: int = 1,
    direction: str = "AtoB",
    augment: bool = True,
    shuffle: bool = True,
    seed: int | None = 0,
    split: str | None = None,
    drop_remainder: bool = True,
    repeat: bool = False,
) -> tf.data.Dataset:
    """Batches of `(source, target)` pairs, float32 NHWC in `[-1, 1]`.

    Files are listed with `paired_files` (unpartnered files give one `UnpairedFileWarning`,
    unreadable ones one `CorruptImageWarning`) and decoded by Pillow: grayscale, palette,
    16-bit and RGBA files are converted to the requested channels (transparency is
    composited onto white). A and B may have different sizes. A pair whose file breaks
    after listing is logged and dropped.

    Args:
        path, split: the data set; see `paired_files`.
        image_size: the side of the square images yielded.
        load_size: with `augment`, the side both images are resized to before the random
            crop; defaults to `image_size * 286 / 256` (the reference's 286 for 256).
        channels: the `(A, B)` channel counts, each 1 or 3 (an int for both).
        batch_size: pairs per batch.
        direction: `"AtoB"` yields `(A, B)`; `"BtoA"` yields `(B, A)` (channels follow).
        augment: resize to `load_size`, crop at the same random offset and flip both
            images together; when False (evaluation), resize straight to `image_size`.
        shuffle: shuffle the pairs, again every epoch, with new crops and flips each
            epoch; when False, every pass gives the same pairs, crops and flips.
        seed: makes shuffling, crops and flips reproducible; None for fresh randomness.
        drop_remainder: drop the last batch when smaller than `batch_size`.
        repeat: repeat forever (use `steps_per_epoch` in `fit`).

    Returns:
        A `tf.data.Dataset` of `(source, target)`, each `[batch, image_size, image_size, C]`.

    Raises:
        ValueError: as `paired_files`, or on bad arguments.
    """
    load_size = check_sizes(image_size, load_size)
    channels = check_channel_pair(channels)
    check_direction(direction)
    batch_size = check_batch_size(batch_size)
    pairs = _list_pairs(path, split, stacklevel=3)
    if drop_remainder and len(pairs) < batch_size:
        raise ValueError(
            f"Only {len(pairs)} readable pair(s) in {os.fspath(path)!r}, fewer than "
            f"batch_size={batch_size}: lower `batch_size` or pass drop_remainder=False."
        )
    return _pairs_dataset(
        pairs,
        image_size=image_size,
        load_size=load_size,
        channels=channels,
        batch_size=batch_size,
        direction=direction,
        augment=augment,
        shuffle=shuffle,
        seed=seed,
        drop_remainder=drop_remainder,
        repeat=repeat,
    )


def paired_examples(
    path: str | os.PathLike,
    image_size: int = 256,
    channels: int | tuple[int, int] = (3, 3),
    direction: str = "AtoB",
    limit: int | None = 8,
    split: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The first `limit` pairs in sorted order, resized to `image_size`, for evaluation.

    Returns:
        `(source, target)` float32 NumPy arrays `[n, image_size, image_size, C]` in
        `[-1, 1]`, no augmentation; `limit=None` reads every pair.
    """
    check_sizes(image_size, None)
    channels = check_channel_pair(channels)
    check_direction(direction)
    check_limit(limit)
    pairs = _list_pairs(path, split, stacklevel=3)[:limit]
    dataset = _pairs_dataset(
        pairs,
        image_size=image_size,
        load_size=image_size,
        channels=channels,
        batch_size=max(1, len(pairs)),
        direction=direction,
        augment=False,
        shuffle=False,
        seed=None,
        drop_remainder=False,
        repeat=False,
    )
    batches = list(dataset.as_numpy_iterator())
    sizes = [(0, image_size, image_size, c) for c in _ordered(channels, direction)]
    if not batches:  # every file broke after listing
        return np.zeros(sizes[0], np.float32), np.zeros(sizes[1], np.float32)
    return batches[0]


# Helpers shared with `keras_gan.data.unpaired`.


def check_sizes(image_size: int, load_size: int | None) -> int:
    """Returns `load_size` (defaulted from `image_size`); raises a one-line `ValueError`."""
    if not _is_positive_int(image_size):
        raise ValueError(
            f"`image_size` must be a positive int. Received: image_size={image_size!r}"
        )
    if load_size is None:
        return max(image_size, round(image_size * 286 / 256))
    if not _is_positive_int(load_size) or load_size < image_size:
        raise ValueError(
            "`load_size` must be an int >= `image_size` (the random crop is cut from it). "
            f"Received: load_size={load_size!r}, image_size={image_size!r}"
        )
    return int(load_size)


def check_channel_pair(channels: int | tuple[int, int]) -> tuple[int, int]:
    """Returns `(channels_a, channels_b)`, each 1 or 3; an int means both."""
    if isinstance(channels, (tuple, list)) and len(channels) == 2:
        return check_channels(channels[0]), check_channels(channels[1])
    if isinstance(channels, (tuple, list)):
        raise ValueError(f"`channels` must be an (A, B) pair. Received: channels={channels!r}")
    channels = check_channels(channels)
    return channels, channels


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise ValueError(f"`direction` must be 'AtoB' or 'BtoA'. Received: direction={direction!r}")
    return direction


def check_limit(limit: int | None) -> None:
    if limit is not None and not _is_positive_int(limit):
        raise ValueError(f"`limit` must be None or a positive int. Received: limit={limit!r}")


def decode_image(path: tf.Tensor, channels: int, min_size: int) -> tf.Tensor:
    """Decodes one file with Pillow in `tf.numpy_function`: uint8 `[H, W, channels]`."""
    image = tf.numpy_function(
        load_image_or_log, [path, channels, min_size], tf.uint8, stateful=False
    )
    image.set_shape([None, None, channels])
    return image


def transform_images(
    images: list[tf.Tensor], image_size: int, load_size: int, seed: tf.Tensor, augment: bool
) -> list[tf.Tensor]:
    """Resizes (bicubic), crops and flips `images` alike, then scales them to `[-1, 1]`.

    With `augment`, every image is resized to `load_size`, cut at one random offset to
    `image_size` and flipped by one coin, all drawn from the stateless `seed` (`[2]` ints);
    without, each is resized to `image_size`.
    """
    if not augment:
        return [scale_to_unit_range(_resize(image, image_size)) for image in images]
    crop_seed, flip_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    span = load_size - image_size + 1
    offset = tf.random.stateless_uniform([2], crop_seed, 0, span, dtype=tf.int32)
    flip = tf.random.stateless_uniform([], flip_seed) < 0.5
    outputs = []
    for image in images:
        channels = image.shape[-1]
        image = tf.slice(_resize(image, load_size), [offset[0], offset[1], 0], [-1, -1, -1])
        image = image[:image_size, :image_size]
        image = tf.where(flip, tf.reverse(image, [1]), image)
        image.set_shape([image_size, image_size, channels])
        outputs.append(scale_to_unit_range(image))
    return outputs


def element_seeds(seed: int | None, offset: int, per_pass: bool = True) -> tf.data.Dataset:
    """An endless dataset of `[2]` stateless seeds, fixed by `seed`.

    `per_pass`: re-drawn on every pass over the data (each epoch of a finite data set sees
    new crops and flips). The loaders pass their `shuffle` flag: unshuffled (held-out) data
    gives the same crops on every pass, so scores taken before and after training compare
    the same images.
    """
    stream_seed = None if seed is None else seed + offset
    randoms = tf.data.Dataset.random(seed=stream_seed, rerandomize_each_iteration=per_pass)
    return randoms.map(lambda value: tf.stack([value, tf.constant(0, tf.int64)]))


# Private.


def _list_pairs(path, split, stacklevel: int) -> list[tuple[str, str | None]]:
    layout = _find_layout(check_directory(path), split)
    if layout[0] == "aligned":
        return [(p, None) for p in readable_image_files(layout[1], stacklevel + 1)]
    _, root, a_dir, b_dir = layout
    a_files, b_files = _files_by_key(a_dir), _files_by_key(b_dir)
    keys = sorted(a_files.keys() & b_files.keys())
    lonely_a = sorted(a_files[k] for k in a_files.keys() - b_files.keys())
    lonely_b = sorted(b_files[k] for k in b_files.keys() - a_files.keys())
    if not keys:
        raise ValueError(
            f"No file in {a_dir!r} has a partner in {b_dir!r}: expected the same names on "
            f"both sides (x.png pairs with x.jpg); found {len(a_files)} in A/, "
            f"{len(b_files)} in B/."
        )
    if lonely_a or lonely_b:
        parts = [
            f"{len(files)} file(s) in {side}/ have no partner in {other}/: "
            f"{_names(files, os.path.join(root, side))}"
            for files, side, other in ((lonely_a, "A", "B"), (lonely_b, "B", "A"))
            if files
        ]
        message = f"Skipped unpaired files in {root!r}: " + "; ".join(parts)
        warnings.warn(message, UnpairedFileWarning, stacklevel=stacklevel)
    pairs = [(a_files[k], b_files[k]) for k in keys]
    files = [p for pair in pairs for p in pair]
    readable = check_readable(files)
    ok = [readable[2 * i] and readable[2 * i + 1] for i in range(len(pairs))]
    if not any(ok):
        raise ValueError(
            f"No readable pairs in {root!r}: every one of the {len(pairs)} pair(s) has a "
            "corrupt file; expected at least one readable pair."
        )
    bad = [p for p, good in zip(files, readable, strict=True) if not good]
    if bad:
        warn_unreadable(bad, root, stacklevel=stacklevel)
    return [pair for pair, good in zip(pairs, ok, strict=True) if good]


def _find_layout(root: str, split: str | None) -> tuple:
    if split is not None:
        candidate = os.path.join(root, split)
        split_a, split_b = os.path.join(root, "A", split), os.path.join(root, "B", split)
        if os.path.isdir(candidate):
            root = candidate
        elif os.path.isdir(split_a) and os.path.isdir(split_b):
            return ("folders", root, split_a, split_b)
        else:
            raise ValueError(
                f"Split folder {candidate!r} not found: expected {split}/ (or A/{split}/ and "
                f"B/{split}/) in {root!r}; found sub-folders: {_subfolders(root) or 'none'}."
            )
    a_dir, b_dir = os.path.join(root, "A"), os.path.join(root, "B")
    if os.path.isdir(a_dir) or os.path.isdir(b_dir):
        missing = b_dir if os.path.isdir(a_dir) else a_dir
        if not os.path.isdir(missing):
            raise ValueError(
                f"Folder {missing!r} not found: a paired data set in split folders needs "
                f"both A/ and B/ in {root!r}."
            )
        return ("folders", root, a_dir, b_dir)
    splits = [s for s in ("train", "val", "test") if os.path.isdir(os.path.join(root, s))]
    if splits and not any(e.lower().endswith(IMAGE_EXTENSIONS) for e in os.listdir(root)):
        raise ValueError(
            f"{root!r} is a data set root with split folders ({', '.join(splits)}) and no "
            f"images of its own: pass split={splits[0]!r} or the folder "
            f"{os.path.join(root, splits[0])!r}."
        )
    return ("aligned", root)


def _files_by_key(directory: str) -> dict[str, str]:
    """Maps each image's path relative to `directory`, without extension, to the image."""
    files = {}
    for path in list_image_files(directory):
        key = os.path.splitext(os.path.relpath(path, directory))[0]
        if key in files:
            raise ValueError(
                f"Two files in {directory!r} share the name {key!r}: "
                f"{os.path.basename(files[key])!r} and {os.path.basename(path)!r}; expected "
                "one file per name so that pairs are unambiguous."
            )
        files[key] = path
    if not files:
        raise ValueError(
            f"No images found in {directory!r}: expected files ending in "
            f"{', '.join(IMAGE_EXTENSIONS)}."
        )
    return files


def _pairs_dataset(
    pairs: list[tuple[str, str | None]],
    *,
    image_size: int,
    load_size: int,
    channels: tuple[int, int],
    batch_size: int,
    direction: str,
    augment: bool,
    shuffle: bool,
    seed: int | None,
    drop_remainder: bool,
    repeat: bool,
) -> tf.data.Dataset:
    aligned = pairs[0][1] is None
    channels_a, channels_b = channels
    a_paths = tf.constant([a for a, _ in pairs], tf.string)
    b_paths = tf.constant([b or "" for _, b in pairs], tf.string)
    dataset = tf.data.Dataset.from_tensor_slices((a_paths, b_paths))
    dataset = shuffle_and_repeat(dataset, len(pairs), shuffle, seed, repeat)
    dataset = tf.data.Dataset.zip(dataset, element_seeds(seed, 1, shuffle))

    def load(paths, element_seed):
        a_path, b_path = paths
        if aligned:
            a, b = tf.numpy_function(
                _load_halves, [a_path, channels_a, channels_b], [tf.uint8, tf.uint8], stateful=False
            )
            a.set_shape([None, None, channels_a])
            b.set_shape([None, None, channels_b])
        else:
            a = decode_image(a_path, channels_a, load_size)
            b = decode_image(b_path, channels_b, load_size)
        a, b = transform_images([a, b], image_size, load_size, element_seed, augment)
        return (a, b) if direction == "AtoB" else (b, a)

    dataset = dataset.map(load, num_parallel_calls=AUTOTUNE).ignore_errors()
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder, num_parallel_calls=AUTOTUNE)
    return prefetch(dataset)


def _load_halves(path, channels_a, channels_b) -> tuple[np.ndarray, np.ndarray]:
    """Decodes an aligned A|B file: the left half (`width // 2`) is A, the rest B."""
    path = os.fsdecode(path)
    try:
        with Image.open(path) as image:
            image = ImageOps.exif_transpose(image)
            width, height = image.size
            if width < 2:
                raise ValueError(f"an aligned image needs a width >= 2, got {width}")
            a = image.crop((0, 0, width // 2, height))
            b = image.crop((width // 2, 0, width, height))
            return _to_array(a, int(channels_a)), _to_array(b, int(channels_b))
    except Exception as error:
        _logger.warning("Skipping unreadable image %r: %s", path, error)
        raise


def _resize(image: tf.Tensor, size: int) -> tf.Tensor:
    return tf.image.resize(image, (size, size), method="bicubic", antialias=True)


def _ordered(channels: tuple[int, int], direction: str) -> tuple[int, int]:
    return channels if direction == "AtoB" else (channels[1], channels[0])


def _names(paths: list[str], directory: str) -> str:
    names = [os.path.relpath(p, directory) for p in paths[:_NAMES_IN_WARNING]]
    more = (
        f", ... ({len(paths) - _NAMES_IN_WARNING} more)" if len(paths) > _NAMES_IN_WARNING else ""
    )
    return ", ".join(names) + more


def _subfolders(root: str) -> str:
    return ", ".join(sorted(e for e in os.listdir(root) if os.path.isdir(os.path.join(root, e))))


def _is_positive_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value > 0
