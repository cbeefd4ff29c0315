"""Reading, checking, resizing and padding the images a StyleTransfer model takes."""

import gzip
import io
import math
from pathlib import Path

import numpy as np
import tensorflow as tf

from keras_gan.data.image_files import load_image
from keras_gan.models.style_transfer.transform_network import MIN_SIDE, SIZE_MULTIPLE


def load_style_image(path: str | Path) -> np.ndarray:
    """Reads an RGB image file (also gzipped, `.jpg.gz`) as float32 `[H, W, 3]` in [-1, 1]."""
    path = Path(path)
    if path.suffix == ".gz":
        with gzip.open(path) as compressed:
            pixels = load_image(io.BytesIO(compressed.read()), 3)
    else:
        pixels = load_image(str(path), 3)
    return pixels.astype("float32") / 127.5 - 1.0


def check_images(images, what: str) -> np.ndarray:
    """`images` as float32 `[N, H, W, 3]`, or a ValueError naming `what` is wrong."""
    images = np.asarray(images, dtype="float32")
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(
            f"{what} must be RGB [N, H, W, 3] or [H, W, 3]. Received: shape={images.shape}"
        )
    if not np.all(np.isfinite(images)) or images.min() < -1.001 or images.max() > 1.001:
        raise ValueError(
            f"{what} must be finite floats in [-1, 1] (pixels / 127.5 - 1). Received values "
            f"in [{images.min():.3g}, {images.max():.3g}]"
        )
    return images


def resize_short_side(image: np.ndarray, short_side: int) -> tf.Tensor:
    """`[H, W, C]` -> `[1, h, w, C]` with `min(h, w) == short_side`, area-averaged."""
    height, width = image.shape[:2]
    scale = short_side / min(height, width)
    size = (max(1, round(height * scale)), max(1, round(width * scale)))
    return tf.image.resize(image[None], size, method="area", antialias=True)


def pad_for_network(images: np.ndarray) -> tuple[np.ndarray, tuple[slice, slice]]:
    """Reflect-pads `[N, H, W, C]` evenly on both sides to multiples of 4 (at least 8).

    Returns the padded images and the `(rows, columns)` slices that crop the
    network's output back to `H x W`.
    """
    height, width = images.shape[1:3]
    padded = [
        max(MIN_SIDE, math.ceil(side / SIZE_MULTIPLE) * SIZE_MULTIPLE) for side in (height, width)
    ]
    before = [(p - side) // 2 for p, side in zip(padded, (height, width), strict=True)]
    padding = [(0, 0)]
    padding += [
        (b, p - side - b) for b, p, side in zip(before, padded, (height, width), strict=True)
    ]
    padding += [(0, 0)]
    mode = "reflect" if min(height, width) > 1 else "edge"
    crop = (slice(before[0], before[0] + height), slice(before[1], before[1] + width))
    return np.pad(images, padding, mode=mode), crop


def split_training_batch(data) -> tuple[tf.Tensor, object]:
    """A batch -> (photos float32 `[N, H, W, 3]`, the batch's second element or None)."""
    extra = None
    if isinstance(data, (tuple, list)):
        images = data[0]
        extra = data[1] if len(data) > 1 else None
    else:
        images = data
    images = tf.convert_to_tensor(images)
    shape = images.shape
    if shape.rank != 4 or shape[-1] not in (None, 3):
        raise ValueError(
            f"StyleTransfer trains on RGB photos [N, H, W, 3] in [-1, 1]. Received: shape={shape}"
        )
    if any(side is not None and side % SIZE_MULTIPLE for side in shape[1:3]):
        raise ValueError(
            f"Photo heights and widths must be multiples of {SIZE_MULTIPLE}. "
            f"Received: shape={shape}"
        )
    return tf.cast(images, tf.float32), extra


def style_array(style, num_styles: int, count: int) -> np.ndarray | None:
    """`stylize`'s `style` -> None (one style), indices int32 `[count]` or weights `[count, S]`."""
    if num_styles == 1:
        if style not in (0, None):
            raise ValueError(f"The model has one style (0). Received: style={style!r}")
        return None
    if np.ndim(style) == 0 and float(style) == int(style):
        if not 0 <= int(style) < num_styles:
            raise ValueError(f"style must be in [0, {num_styles}). Received: style={style!r}")
        return np.full((count,), int(style), "int32")
    weights = np.asarray(style, dtype="float32")
    if weights.shape != (num_styles,) or not np.all(np.isfinite(weights)):
        raise ValueError(
            f"style must be a style index or a vector of num_styles={num_styles} style "
            f"weights. Received: style={style!r}"
        )
    return np.tile(weights[None], (count, 1))
