import os

import numpy as np
import pytest
from PIL import Image

from keras_gan.data.image_files import (
    check_readable,
    is_readable_image,
    list_image_files,
    load_image,
)


def _rgb(height=6, width=5, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def test_list_image_files_recursive_sorted_and_case_insensitive(tmp_path, make_image):
    make_image(str(tmp_path / "b.PNG"), _rgb())
    make_image(str(tmp_path / "sub" / "deeper" / "a.JpEg"), _rgb())
    make_image(str(tmp_path / "c.gif"), _rgb())
    (tmp_path / "readme.txt").write_text("not listed")
    (tmp_path / ".hidden.png").write_bytes(b"not listed")
    paths = list_image_files(str(tmp_path))
    names = [os.path.relpath(p, tmp_path) for p in paths]
    assert names == sorted(names)
    assert set(names) == {"b.PNG", os.path.join("sub", "deeper", "a.JpEg"), "c.gif"}


def test_check_readable_flags_corrupt_files(tmp_path, make_image, make_corrupt_files):
    good = [
        make_image(str(tmp_path / f"ok{i}.{ext}"), _rgb())
        for i, ext in enumerate(["png", "jpg", "webp", "bmp", "gif"])
    ]
    bad = make_corrupt_files(str(tmp_path))
    assert check_readable(good + bad) == [True] * 5 + [False] * 3
    many = (good + bad) * 4  # Large enough for the thread pool.
    assert check_readable(many) == ([True] * 5 + [False] * 3) * 4
    assert not is_readable_image(str(tmp_path / "missing.png"))


def test_load_image_rgb_roundtrip_and_channels(tmp_path, make_image):
    array = _rgb()
    path = make_image(str(tmp_path / "x.png"), array)
    np.testing.assert_array_equal(load_image(path, 3), array)
    gray = load_image(path, 1)
    assert gray.shape == (6, 5, 1) and gray.dtype == np.uint8
    expected = np.asarray(Image.fromarray(array).convert("L"))
    np.testing.assert_array_equal(gray[..., 0], expected)


def test_load_image_gray_to_rgb(tmp_path, make_image):
    path = make_image(str(tmp_path / "g.png"), np.full((4, 4), 77, np.uint8))
    rgb = load_image(path, 3)
    assert rgb.shape == (4, 4, 3)
    assert (rgb == 77).all()


def test_load_image_rgba_composited_on_white(tmp_path, make_image):
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[0, 0] = (255, 0, 0, 255)  # opaque red
    rgba[0, 1] = (0, 0, 255, 0)  # fully transparent
    rgba[1, :] = (0, 0, 0, 128)  # half-transparent black
    path = make_image(str(tmp_path / "a.png"), rgba, "RGBA")
    out = load_image(path, 3)
    assert out[0, 0].tolist() == [255, 0, 0]
    assert out[0, 1].tolist() == [255, 255, 255]
    assert np.all(np.abs(out[1].astype(int) - 127) <= 1)
    assert load_image(path, 1).shape == (2, 2, 1)


def test_load_image_palette_with_transparency(tmp_path):
    image = Image.new("P", (3, 1))
    image.putpalette([0, 255, 0, 10, 20, 30] + [0] * 762)
    image.putdata([0, 1, 0])
    path = str(tmp_path / "p.png")
    image.save(path, transparency=1)
    out = load_image(path, 3)
    assert out[0].tolist() == [[0, 255, 0], [255, 255, 255], [0, 255, 0]]


def test_load_image_16_bit_png_is_scaled_not_clipped(tmp_path):
    values = np.array([[0, 257 * 100, 65535]], np.uint16)
    path = str(tmp_path / "deep.png")
    Image.fromarray(values).save(path)
    assert Image.open(path).mode.startswith("I")
    out = load_image(path, 1)
    assert out[..., 0].tolist() == [[0, 100, 255]]
    assert load_image(path, 3).shape == (1, 3, 3)


def test_load_image_cmyk_jpeg(tmp_path):
    path = str(tmp_path / "cmyk.jpg")
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(path, quality=95)  # red in CMYK
    out = load_image(path, 3)
    assert out.shape == (8, 8, 3)
    assert out[..., 0].min() > 200 and out[..., 1:].max() < 60


def test_load_image_animated_gif_first_frame(tmp_path):
    frames = [Image.new("RGB", (4, 4), c) for c in [(255, 0, 0), (0, 0, 255)]]
    path = str(tmp_path / "anim.gif")
    frames[0].save(path, save_all=True, append_images=frames[1:])
    out = load_image(path, 3)
    assert out.shape == (4, 4, 3)
    assert out[0, 0].tolist() == [255, 0, 0]


def test_load_image_applies_exif_orientation(tmp_path):
    image = Image.fromarray(np.zeros((2, 6, 3), np.uint8))  # wide as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees on display
    path = str(tmp_path / "rot.jpg")
    image.save(path, exif=exif)
    assert load_image(path, 3).shape == (6, 2, 3)


def test_load_image_jpeg_draft_keeps_at_least_min_size(tmp_path, make_image):
    path = make_image(str(tmp_path / "big.jpg"), _rgb(256, 320))
    assert load_image(path, 3).shape == (256, 320, 3)
    reduced = load_image(path, 3, min_size=40)
    assert reduced.shape[0] >= 40 and reduced.shape[1] >= 40
    assert reduced.shape[0] < 256


def test_load_image_raises_on_corrupt(tmp_path, make_corrupt_files):
    for path in make_corrupt_files(str(tmp_path)):
        with pytest.raises((OSError, ValueError)):
            load_image(path, 3)
