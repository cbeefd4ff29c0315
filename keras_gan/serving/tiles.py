"""Serving large images in tiles, so that a model's memory stays bounded at any input size.

For fully convolutional networks without image-wide statistics (super-resolution; the
export marks them `tile_safe`), each image of a request larger than a tile is cut into
tiles of at most `tile` x `tile` input pixels that overlap by `2 * margin`. Each tile runs
alone and only its centre (the tile less `margin` on every inner side) is copied into
the output, so the context a pixel sees reaches `margin` input pixels past its tile:
with a margin at least the network's effective receptive radius the result matches the
whole-image call (measured in the tests) and no seam shows. The output is written
straight into one buffer of the signature's dtype; no full-size float accumulator exists.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

DEFAULT_TILE = 192
DEFAULT_MARGIN = 24


def _cores(size: int, core: int) -> list[tuple[int, int]]:
    """`(start, stop)` of the output-owning core of each tile along one side."""
    return [(start, min(start + core, size)) for start in range(0, size, core)]


def tile_plan(
    height: int, width: int, tile: int, margin: int
) -> list[tuple[slice, slice, slice, slice]]:
    """For each tile: the input rows/cols it reads and, inside it, the rows/cols it owns."""
    if tile <= 2 * margin:
        raise ValueError(f"tile must exceed 2 * margin. Received: {tile=}, {margin=}")
    core = tile - 2 * margin
    plan = []
    for top, bottom in _cores(height, core):
        read_top, read_bottom = max(0, top - margin), min(height, bottom + margin)
        for left, right in _cores(width, core):
            read_left, read_right = max(0, left - margin), min(width, right + margin)
            plan.append(
                (
                    slice(read_top, read_bottom),
                    slice(read_left, read_right),
                    slice(top - read_top, bottom - read_top),
                    slice(left - read_left, right - read_left),
                )
            )
    return plan


def run_in_tiles(
    call: Callable[[dict], dict],
    inputs: dict,
    image_key: str,
    scale: int,
    tile: int = DEFAULT_TILE,
    margin: int = DEFAULT_MARGIN,
) -> dict:
    """`call(inputs)` computed tile by tile for each image of `inputs[image_key]` [N, H, W, C].

    Every output must be an image batch [N, H * scale, W * scale, C'] (other inputs, such
    as a style id, are passed along row by row). Images no larger than a tile run whole.
    """
    images = inputs[image_key]
    rows, height, width = images.shape[:3]
    if height <= tile and width <= tile:
        return call(inputs)
    results: dict[str, np.ndarray] = {}
    for row in range(rows):
        row_inputs = {key: value[row : row + 1] for key, value in inputs.items()}
        for read_y, read_x, own_y, own_x in tile_plan(height, width, tile, margin):
            piece = dict(row_inputs, **{image_key: row_inputs[image_key][:, read_y, read_x]})
            outputs = call(piece)
            for key, value in outputs.items():
                if key not in results:
                    results[key] = np.empty(
                        (rows, height * scale, width * scale, value.shape[-1]), value.dtype
                    )
                out_y = slice(
                    (read_y.start + own_y.start) * scale, (read_y.start + own_y.stop) * scale
                )
                out_x = slice(
                    (read_x.start + own_x.start) * scale, (read_x.start + own_x.stop) * scale
                )
                core = value[
                    0,
                    own_y.start * scale : own_y.stop * scale,
                    own_x.start * scale : own_x.stop * scale,
                ]
                results[key][row, out_y, out_x] = core
    return results
