"""Whole held-out photos, read once for the scores a photo family's run is judged by."""

from __future__ import annotations

import os

import numpy as np
from PIL import Image

from keras_gan.data.image_files import load_image, readable_image_files

MAX_SIDE = 512  # long side of the held-out photos a run scores (keeps CPU runs short)


def held_out_photos(
    folder: str | os.PathLike, max_side: int | None = MAX_SIDE, limit: int | None = 64
) -> list[np.ndarray]:
    """Every readable photo under `folder` (sorted), RGB float32 in [-1, 1].

    Photos larger than `max_side` are shrunk (Lanczos) so that their long side is
    `max_side`; at most `limit` photos are read.

    Raises:
        ValueError: when the folder holds no readable image.
    """
    paths = readable_image_files(os.fspath(folder), stacklevel=3)[:limit]
    if not paths:
        raise ValueError(f"No readable photo in the held-out folder {os.fspath(folder)!r}.")
    return [shrink_photo(path, max_side) for path in paths]


def shrink_photo(path: str | os.PathLike, max_side: int | None = MAX_SIDE) -> np.ndarray:
    """One photo, RGB float32 in [-1, 1], its long side shrunk (Lanczos) to `max_side`."""
    image = load_image(os.fspath(path), 3)
    if max_side and max(image.shape[:2]) > max_side:
        pil = Image.fromarray(image)
        factor = max_side / max(pil.size)
        size = (max(1, round(pil.width * factor)), max(1, round(pil.height * factor)))
        image = np.asarray(pil.resize(size, Image.LANCZOS))
    return image.astype("float32") / 127.5 - 1.0


def center_crops(photos: list[np.ndarray], side: int, limit: int = 6) -> np.ndarray:
    """Center crops [n, side, side, 3] of the photos at least `side` on each side."""
    crops = []
    for photo in photos:
        h, w = photo.shape[:2]
        if h >= side and w >= side:
            top, left = (h - side) // 2, (w - side) // 2
            crops.append(photo[top : top + side, left : left + side])
        if len(crops) == limit:
            break
    if not crops:
        raise ValueError(f"No held-out photo is at least {side}x{side} pixels.")
    return np.stack(crops).astype("float32")


def photo_folders(data: str | os.PathLike) -> tuple[str, str | None, str | None]:
    """`(training folder, held-out folder or None, held-out split name or None)` of `data`.

    Split as `keras_gan.data.splits.folder_splits` defines (`train/` + `test/` or `val/`).
    """
    from keras_gan.data.splits import folder_splits, split_folder

    if not os.path.isdir(data):
        raise FileNotFoundError(f"No such folder: {os.fspath(data)!r}")
    splits = folder_splits(data)
    held_out = split_folder(data, splits.held_out) if splits.held_out else None
    return split_folder(data, splits.train), held_out, splits.held_out
