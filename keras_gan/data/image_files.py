"""Finding, checking and decoding image files on disk (Pillow).

Decoding uses Pillow rather than `tf.io.decode_image` because Pillow reads more of what
real folders hold: 16-bit PNGs (scaled to 8 bits, not clipped), palette images with
transparency, CMYK JPEGs, WebP, animated GIFs (first frame) and EXIF-rotated photos.
`keras_gan.data.pipeline` calls `load_image` inside `tf.numpy_function`.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import warnings

import numpy as np
from PIL import Image, ImageOps

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
"""File extensions read as images (matched case-insensitively)."""

_EXAMPLES_IN_WARNING = 3
_logger = logging.getLogger(__name__)


class CorruptImageWarning(UserWarning):
    """Issued once per listing when image files could not be read and were skipped."""


def list_image_files(directory: str) -> list[str]:
    """Returns the sorted paths of files with an image extension under `directory`.

    Walks sub-folders recursively (following folder links, each real folder once) and
    skips hidden files and folders (names starting with "."). Files with other extensions
    are ignored without a warning.
    """
    paths = []
    seen_dirs = set()
    for root, dirs, files in os.walk(directory, followlinks=True):
        real = os.path.realpath(root)
        if real in seen_dirs:
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and name.lower().endswith(IMAGE_EXTENSIONS):
                paths.append(os.path.join(root, name))
    return sorted(paths)


def is_readable_image(path: str) -> bool:
    """Returns whether Pillow can read `path` as an image, cheaply.

    PNGs are checked with `Image.verify()` (chunk structure and CRCs, no decompression).
    Other formats, whose `verify()` checks little, are decoded; JPEGs at reduced scale
    (`Image.draft`), which still reads every byte, so truncated files are caught.
    """
    try:
        with Image.open(path) as image:
            if image.format == "PNG":
                image.verify()
            else:
                if image.format == "JPEG":
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except Exception:  # Pillow raises many types for bad files; all mean "skip it".
        return False
    return True


def check_readable(paths: list[str]) -> list[bool]:
    """Returns `is_readable_image` for each path, checked in a thread pool.

    Pillow releases the GIL while reading, so threads overlap file I/O and decoding.
    """
    if len(paths) < 16:
        return [is_readable_image(p) for p in paths]
    workers = min(32, 4 * (os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(is_readable_image, paths, chunksize=64))


def warn_unreadable(bad: list[str], directory: str, stacklevel: int = 2) -> None:
    """Issues the one `CorruptImageWarning` naming how many files were skipped and a few."""
    examples = ", ".join(repr(p) for p in bad[:_EXAMPLES_IN_WARNING])
    more = ", ..." if len(bad) > _EXAMPLES_IN_WARNING else ""
    message = (
        f"Skipped {len(bad)} unreadable image file(s) in {directory!r} "
        f"(corrupt, truncated or not an image): {examples}{more}"
    )
    warnings.warn(message, CorruptImageWarning, stacklevel=stacklevel + 1)


def load_image(path: str, channels: int, min_size: int | None = None) -> np.ndarray:
    """Decodes one image file to a uint8 array `[H, W, channels]`.

    Conversions: EXIF orientation is applied; transparent images (RGBA, LA, palette with
    transparency) are composited onto white; 16-bit images are scaled to 8 bits; RGB is
    converted to gray with ITU-R 601-2 luma weights when `channels == 1`, and gray is
    repeated to RGB when `channels == 3`. Animated images give their first frame.

    Args:
        path: the image file.
        channels: 1 or 3.
        min_size: when set, large JPEGs are decoded at a reduced scale (a power of two)
            that keeps both sides at least `min_size`, which is much faster.

    Raises:
        OSError, ValueError: when the file cannot be decoded (Pillow's errors).
    """
    with Image.open(path) as image:
        if min_size and image.format == "JPEG":
            image.draft("L" if channels == 1 else "RGB", (min_size, min_size))
        image = ImageOps.exif_transpose(image)
        return _to_array(image, channels)


def _to_array(image: Image.Image, channels: int) -> np.ndarray:
    mode = image.mode
    if mode.startswith("I"):  # 16/32-bit integer gray, e.g. 16-bit PNG ("I;16" or "I").
        values = np.asarray(image).astype(np.float32)
        gray = np.clip(np.round(values / 257.0), 0, 255).astype(np.uint8)
        return gray[..., None] if channels == 1 else np.repeat(gray[..., None], 3, axis=-1)
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        background.alpha_composite(image.convert("RGBA"))
        image = background
    array = np.asarray(image.convert("L" if channels == 1 else "RGB"), dtype=np.uint8)
    return array[..., None] if channels == 1 else array


def load_image_or_log(path: bytes | str, channels: int, min_size: int) -> np.ndarray:
    """`load_image` for `tf.numpy_function`: logs the failing path before re-raising."""
    path = os.fsdecode(path)
    try:
        return load_image(path, int(channels), int(min_size))
    except Exception as error:
        _logger.warning("Skipping unreadable image %r: %s", path, error)
        raise


def readable_image_files(directory: str, stacklevel: int) -> list[str]:
    """The readable image files under `directory`; one `CorruptImageWarning` for the rest.

    Raises:
        ValueError: when the folder holds no image files, or none is readable.
    """
    paths = list_image_files(directory)
    if not paths:
        raise ValueError(
            f"No images found in {directory!r}: expected files ending in "
            f"{', '.join(IMAGE_EXTENSIONS)} (searched sub-folders too)."
        )
    readable = check_readable(paths)
    if not any(readable):
        raise ValueError(
            f"No readable images in {directory!r}: all {len(paths)} image file(s) are corrupt "
            "or not images; expected at least one readable image."
        )
    bad = [p for p, ok in zip(paths, readable, strict=True) if not ok]
    if bad:
        warn_unreadable(bad, directory, stacklevel=stacklevel)
    return [p for p, ok in zip(paths, readable, strict=True) if ok]
