"""`make-data digits` on a handful of fonts (matplotlib's bundled DejaVu and a placeholder font)."""

import json
import os

import matplotlib
import numpy as np
import pytest
from PIL import Image

from keras_gan.data.image_files import list_image_files
from keras_gan.data.sample_sets import build_digit_domains
from keras_gan.data.sample_sets.digits_domains import handwritten_digits, render_digit
from keras_gan.data.sample_sets.font_catalogue import draws_digits, find_digit_fonts

FONT_DIR = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
FONTS = [
    os.path.join(FONT_DIR, name)
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf")
]
PLACEHOLDER = os.path.join(FONT_DIR, "LastResortHE-Regular.ttf")  # one box for every glyph


def test_fonts_that_do_not_draw_digits_are_left_out():
    assert draws_digits(FONTS[0]) and not draws_digits(PLACEHOLDER)
    fonts = find_digit_fonts([*FONTS, PLACEHOLDER])
    assert [f.typeface for f in fonts] == [
        "DejaVu Sans", "DejaVu Sans", "DejaVu Sans Mono", "DejaVu Serif",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="Cannot read the font"):
        find_digit_fonts([__file__])


def test_a_rendered_digit_is_a_coloured_32x32_crop():
    font = find_digit_fonts(FONTS[:1])[0]
    images = [render_digit(font, 8, np.random.default_rng(seed)) for seed in range(6)]
    assert all(image.shape == (32, 32, 3) and image.dtype == np.uint8 for image in images)
    assert np.std([image.mean(axis=(0, 1)) for image in images], axis=0).min() > 5  # colours vary
    assert min(float(image.std()) for image in images) > 5  # never a flat crop


def test_handwritten_digits_are_white_on_black_in_a_border():
    images, labels = handwritten_digits()
    assert images.shape == (1797, 32, 32) and sorted(set(labels)) == list(range(10))
    assert images[:, :4].max() == 0 and images[:, :, -4:].max() == 0  # the black border
    assert images.max() == 255


def test_build_writes_the_layout_and_holds_whole_typefaces_out(tmp_path):
    manifest = build_digit_domains(
        tmp_path, train_images=20, test_images=10, test_fraction=0.34, fonts=FONTS
    )
    counts = manifest["counts"]
    assert (counts["trainA"], counts["testA"]) == (20, 10)
    assert counts["trainB"] + counts["testB"] == 1797 and 500 < counts["testB"] < 700
    for split, count in counts.items():
        files = list_image_files(str(tmp_path / split))
        assert len(files) == count
        assert {os.path.basename(os.path.dirname(f)) for f in files} <= set("0123456789")
    faces = manifest["typefaces"]
    assert len(faces["test"]) == 1 and not set(faces["test"]) & set(faces["train"])
    held_ids = {f["id"] for f in manifest["fonts"] if f["typeface"] in faces["test"]}
    for path in list_image_files(str(tmp_path / "testA")):
        assert os.path.basename(path).rsplit("_", 1)[0] in held_ids
    for path in list_image_files(str(tmp_path / "trainA")):
        assert os.path.basename(path).rsplit("_", 1)[0] not in held_ids
    first = list_image_files(str(tmp_path / "trainB"))[0]
    assert Image.open(first).size == (32, 32)
    assert json.loads((tmp_path / "manifest.json").read_text())["counts"] == counts
    with pytest.raises(ValueError, match="already holds files"):
        build_digit_domains(tmp_path, train_images=2, test_images=2, fonts=FONTS)


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(ValueError, match="train_images"):
        build_digit_domains(tmp_path, train_images=0, fonts=FONTS)
    with pytest.raises(ValueError, match="test_fraction"):
        build_digit_domains(tmp_path, test_fraction=1.0, fonts=FONTS)
    with pytest.raises(ValueError, match="fewer than two typefaces"):
        build_digit_domains(tmp_path, fonts=FONTS[:2])
