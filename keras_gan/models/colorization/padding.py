"""Padding images to the side multiple a fully convolutional network needs."""

import numpy as np


def pad_to_multiple(images: np.ndarray, multiple: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Pads [N, H, W, C] images at the bottom and right by reflection to sides divisible by `multiple`.

    Reflection does not repeat the edge pixel; a pad wider than the image
    reflects back and forth. Crop the network's output back with
    `outputs[:, :h, :w]`.

    Args:
        images: NumPy array [N, H, W, C].
        multiple: the padded height and width are multiples of this (>= 1).

    Returns:
        `(padded, (h, w))`: the padded images and the original height and width.
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be [N, H, W, C]. Received: shape={images.shape}")
    if int(multiple) < 1:
        raise ValueError(f"multiple must be >= 1. Received: multiple={multiple}")
    h, w = images.shape[1:3]
    pad_h, pad_w = -h % multiple, -w % multiple
    if pad_h == 0 and pad_w == 0:
        return images, (h, w)
    # Reflection needs at least two pixels; a single row or column is repeated.
    mode = "reflect" if min(h, w) > 1 else "edge"
    padded = np.pad(images, [(0, 0), (0, pad_h), (0, pad_w), (0, 0)], mode=mode)
    return padded, (h, w)
