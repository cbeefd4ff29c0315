"""Argument checks shared by the data loaders: each raises a one-line `ValueError`."""

from __future__ import annotations

import numbers
import os


def normalize_image_size(image_size: int | tuple[int, int] | list[int]) -> tuple[int, int]:
    """Returns `image_size` as a `(height, width)` pair of positive ints.

    Args:
        image_size: an int (square images) or a `(height, width)` pair.

    Raises:
        ValueError: when `image_size` is not a positive int or a pair of positive ints.
    """
    if _is_int(image_size):
        sizes = (image_size, image_size)
    elif isinstance(image_size, (tuple, list)) and len(image_size) == 2:
        sizes = tuple(image_size)
    else:
        sizes = None
    if sizes is None or not all(_is_int(s) and s > 0 for s in sizes):
        raise ValueError(
            "`image_size` must be a positive int or a (height, width) pair of positive ints. "
            f"Received: image_size={image_size!r}"
        )
    return int(sizes[0]), int(sizes[1])


def check_channels(channels: int) -> int:
    """Returns `channels` when it is 1 (grayscale) or 3 (RGB); raises `ValueError` otherwise."""
    if not _is_int(channels) or channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3. Received: channels={channels!r}")
    return int(channels)


def check_batch_size(batch_size: int) -> int:
    """Returns `batch_size` when it is a positive int; raises `ValueError` otherwise."""
    if not _is_int(batch_size) or batch_size <= 0:
        raise ValueError(
            f"`batch_size` must be a positive int. Received: batch_size={batch_size!r}"
        )
    return int(batch_size)


def check_directory(directory: str | os.PathLike) -> str:
    """Returns `directory` as a string path when it is an existing folder.

    Raises:
        ValueError: when the path does not exist or is not a folder.
    """
    path = os.fspath(directory)
    if not os.path.exists(path):
        raise ValueError(
            f"Image directory not found. Received: directory={path!r}; "
            "expected an existing folder of images."
        )
    if not os.path.isdir(path):
        raise ValueError(
            f"Image directory is not a folder. Received: directory={path!r}; "
            "expected a folder of images, not a file."
        )
    return path


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
