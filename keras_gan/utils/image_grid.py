"""Tile images into one picture: what people look at to judge a GAN."""

import math
import os
from pathlib import Path

import numpy as np
from PIL import Image


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Maps images in [-1, 1] to uint8 in [0, 255] (values outside are clipped)."""
    images = np.asarray(images, dtype="float32")
    return np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype("uint8")


def image_grid(images: np.ndarray, columns: int | None = None, padding: int = 2) -> np.ndarray:
    """Returns a uint8 [H, W, C] grid of images [N, h, w, C] in [-1, 1]."""
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            f"Expected images of shape [N, H, W, 1 or 3]. Received: shape={images.shape}"
        )
    n, h, w, c = images.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    grid = np.full(
        (rows * (h + padding) + padding, columns * (w + padding) + padding, c), 255, "uint8"
    )
    tiles = to_uint8(images)
    for i in range(n):
        r, col = divmod(i, columns)
        top, left = padding + r * (h + padding), padding + col * (w + padding)
        grid[top : top + h, left : left + w] = tiles[i]
    return grid


def save_image_grid(
    images: np.ndarray, path: str | os.PathLike, columns: int | None = None, scale: int = 1
) -> Path:
    """Writes `image_grid(images)` as a PNG (enlarged `scale` times) and returns its path."""
    grid = image_grid(images, columns)
    picture = Image.fromarray(grid[..., 0] if grid.shape[-1] == 1 else grid)
    if scale > 1:
        picture = picture.resize((picture.width * scale, picture.height * scale), Image.NEAREST)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path)
    return path
