"""Tiled serving: every output pixel is owned by one tile, and tiles equal the whole image."""

import numpy as np
import pytest

from keras_gan.serving.tiles import run_in_tiles, tile_plan


def test_tile_plan_owns_every_pixel_once():
    height, width, tile, margin = 101, 67, 40, 8
    owned = np.zeros((height, width), int)
    for read_y, read_x, own_y, own_x in tile_plan(height, width, tile, margin):
        assert read_y.stop - read_y.start <= tile and read_x.stop - read_x.start <= tile
        rows = slice(read_y.start + own_y.start, read_y.start + own_y.stop)
        cols = slice(read_x.start + own_x.start, read_x.start + own_x.stop)
        owned[rows, cols] += 1
        # each owned pixel has `margin` pixels of context inside the tile (or the border)
        assert own_y.start == min(margin, read_y.start + own_y.start)
    assert (owned == 1).all()
    with pytest.raises(ValueError, match="exceed 2 \\* margin"):
        tile_plan(10, 10, 16, 8)


def box_blur_upscale(inputs: dict) -> dict:
    """A fully convolutional 'network': a 5x5 box blur (radius 2), then 2x nearest upscaling."""
    images = inputs["images"].astype(np.float32)
    padded = np.pad(images, ((0, 0), (2, 2), (2, 2), (0, 0)))
    height, width = images.shape[1:3]
    blurred = (
        sum(padded[:, dy : dy + height, dx : dx + width] for dy in range(5) for dx in range(5))
        / 25.0
    )
    upscaled = blurred.repeat(2, axis=1).repeat(2, axis=2)
    return {"images": np.round(upscaled).astype(np.uint8) + inputs["labels"][:, :, None, None]}


def test_tiles_match_the_whole_image_and_pass_other_inputs_along():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (2, 90, 70, 3), np.uint8)
    labels = np.array([[3], [5]], np.uint8)  # added to the output: must follow its row
    calls = []

    def call(inputs):
        calls.append(inputs["images"].shape)
        return box_blur_upscale(inputs)

    whole = box_blur_upscale({"images": images, "labels": labels})["images"]
    tiled = run_in_tiles(call, {"images": images, "labels": labels}, "images", 2, 32, 4)
    np.testing.assert_array_equal(tiled["images"], whole)  # margin 4 >= radius 2: exact
    assert max(shape[1] for shape in calls) <= 32 and max(shape[2] for shape in calls) <= 32
    assert all(shape[0] == 1 for shape in calls) and len(calls) > 2
    assert tiled["images"].dtype == np.uint8
    # an image that fits in one tile runs whole, in one call
    calls.clear()
    run_in_tiles(call, {"images": images[:, :30, :30], "labels": labels}, "images", 2, 32, 4)
    assert calls == [(2, 30, 30, 3)]
