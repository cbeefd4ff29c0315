"""Run a fully convolutional network over a large image in overlapping tiles.

Memory stays bounded by the tile size; the tiles' outputs are blended across the overlap: each
tile's outer quarter of the overlap (where zero padding makes it differ from the
whole-image result) gets no weight and the rest ramps linearly, so no seam shows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def pad_to_multiple(image: np.ndarray, multiple: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Reflect-pads `image` [H, W, C] (or a batch [N, H, W, C]) at the bottom and right.

    The padded sides are multiples of `multiple`. Returns the padded image and the original
    `(H, W)` to crop back to. Sides shorter than the padding they need are edge-padded
    instead (reflection needs more pixels). The one rule of every inference path: the
    served graph (`export.signatures.pad_to_multiple`) pads the same way.
    """
    image = np.asarray(image)
    if image.ndim not in (3, 4):
        raise ValueError(f"images must be [H, W, C] or [N, H, W, C]. Received: {image.shape}")
    if int(multiple) < 1:
        raise ValueError(f"multiple must be >= 1. Received: multiple={multiple}")
    height, width = image.shape[-3:-1]
    pad_h, pad_w = -height % multiple, -width % multiple
    if not pad_h and not pad_w:
        return image, (height, width)
    mode = "reflect" if pad_h < height and pad_w < width else "edge"
    pads = [(0, 0)] * (image.ndim - 3) + [(0, pad_h), (0, pad_w), (0, 0)]
    return np.pad(image, pads, mode=mode), (height, width)


def _starts(size: int, tile: int, step: int) -> list[int]:
    if size <= tile:
        return [0]
    starts = list(range(0, size - tile, step))
    return starts + [size - tile]


def _ramp(length: int, overlap: int, margin: int, ramp_start: bool, ramp_end: bool) -> np.ndarray:
    """1-D blend weights: 0 on the `margin` next to an interior edge, then a linear rise.

    Neighbouring tiles share `overlap` pixels; each drops its outer `margin` of them
    (where zero padding makes its output differ from the whole image) and the two
    ramps cross in between, so the weights of every pixel sum to a positive value.
    """
    weights = np.ones(length, dtype=np.float64)
    if overlap > 0:
        rise = overlap - 2 * margin
        ramp = np.clip((np.arange(overlap) - margin + 0.5) / rise, 0.0, 1.0)
        if ramp_start:
            weights[:overlap] = np.minimum(weights[:overlap], ramp)
        if ramp_end:
            weights[-overlap:] = np.minimum(weights[-overlap:], ramp[::-1])
    return weights


def tiled_apply(
    function: Callable[[np.ndarray], np.ndarray],
    image: np.ndarray,
    tile: int,
    overlap: int = 16,
    scale: int = 1,
    multiple: int = 1,
) -> np.ndarray:
    """Applies `function` to `image` [H, W, C] tile by tile and blends the results.

    Args:
        function: maps a batch [1, h, w, C] (float32) to [1, h * scale, w * scale, C_out].
        image: the input, float32 [H, W, C].
        tile: the side of a square input tile (a multiple of `multiple`); images no larger
            than a tile run in one call.
        overlap: input pixels shared by neighbouring tiles; seams vanish when a quarter
            of it covers the network's receptive-field radius.
        scale: the network's upscaling factor.
        multiple: input sides the network accepts are multiples of this; the image is
            reflect-padded to it and the output cropped back.

    Returns:
        float32 [H * scale, W * scale, C_out].
    """
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 3:
        raise ValueError(f"tiled_apply takes one image [H, W, C]; got shape {image.shape}.")
    if tile < 1 or tile % multiple:
        raise ValueError(f"tile must be a positive multiple of {multiple}. Received: tile={tile}")
    if not 0 <= overlap < tile:
        raise ValueError(f"overlap must be in [0, tile). Received: overlap={overlap}, tile={tile}")
    padded, (height, width) = pad_to_multiple(image, multiple)
    full_h, full_w = padded.shape[:2]
    tile_h, tile_w = min(tile, full_h), min(tile, full_w)
    step = max(multiple, (tile - overlap) // multiple * multiple)
    ys, xs = _starts(full_h, tile_h, step), _starts(full_w, tile_w, step)
    output, total = None, np.zeros((full_h * scale, full_w * scale, 1), np.float64)
    # Neighbours share at least `overlap` input pixels (the last tile may share more).
    margin = overlap // 4 * scale
    for y in ys:
        for x in xs:
            result = np.asarray(function(padded[None, y : y + tile_h, x : x + tile_w]))[0]
            if result.shape[:2] != (tile_h * scale, tile_w * scale):
                raise ValueError(
                    f"The network mapped a {tile_h}x{tile_w} tile to {result.shape[:2]}; "
                    f"expected {(tile_h * scale, tile_w * scale)} for scale {scale}."
                )
            if output is None:
                output = np.zeros((full_h * scale, full_w * scale, result.shape[-1]), np.float64)
            shared = overlap * scale
            weight_y = _ramp(tile_h * scale, shared, margin, y > 0, y + tile_h < full_h)
            weight_x = _ramp(tile_w * scale, shared, margin, x > 0, x + tile_w < full_w)
            weight = (weight_y[:, None] * weight_x[None, :])[..., None]
            rows = slice(y * scale, (y + tile_h) * scale)
            cols = slice(x * scale, (x + tile_w) * scale)
            output[rows, cols] += result * weight
            total[rows, cols] += weight
    output = output / total
    return output[: height * scale, : width * scale].astype(np.float32)
