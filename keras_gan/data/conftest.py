"""Fixtures for the data tests: small image folders written with Pillow."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest
from PIL import Image


def write_image(path, array, mode=None, **save_kwargs) -> str:
    """Writes `array` (uint8 HxW or HxWxC) to `path` with Pillow, creating folders."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(np.asarray(array), mode).save(path, **save_kwargs)
    return str(path)


def solid(height, width, color) -> np.ndarray:
    """A uint8 image filled with `color` (an int for gray, a tuple for RGB/RGBA)."""
    color = np.asarray(color, np.uint8)
    return np.broadcast_to(color, (height, width) + color.shape).copy()


def write_corrupt_files(directory) -> list[str]:
    """Writes three unreadable files: random bytes as .png, a truncated JPEG, text as .jpg."""
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(0)
    random_png = os.path.join(directory, "random_bytes.png")
    with open(random_png, "wb") as f:
        f.write(rng.integers(0, 256, 500, dtype=np.uint8).tobytes())
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(buffer, "JPEG")
    truncated = os.path.join(directory, "truncated.jpg")
    with open(truncated, "wb") as f:
        f.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    text = os.path.join(directory, "notes.jpg")
    with open(text, "w") as f:
        f.write("this is not an image\n")
    return [random_png, truncated, text]


@pytest.fixture
def rgb_folder(tmp_path):
    """A folder of 10 RGB images of mixed sizes and formats, two in a nested folder."""
    root = tmp_path / "images"
    rng = np.random.default_rng(1)
    formats = ["png", "jpg", "jpeg", "bmp", "webp"]
    for i in range(10):
        sub = root / "nested" if i < 2 else root
        size = (20 + 3 * i, 30 + 2 * i, 3)
        array = rng.integers(0, 256, size, dtype=np.uint8)
        write_image(str(sub / f"img{i}.{formats[i % 5]}"), array)
    return root


@pytest.fixture
def make_image():
    """`make_image(path, array, mode=None, **save_kwargs)` writes an image; see `write_image`."""
    return write_image


@pytest.fixture
def make_corrupt_files():
    """`make_corrupt_files(directory)` writes three unreadable image files, returns their paths."""
    return write_corrupt_files
