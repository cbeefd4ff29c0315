"""`keras-gan make-data digits`: printed street-number-like digits -> handwritten digits.

The source domain (A) stands in for SVHN: digits printed with the machine's installed
fonts (`font_catalogue`) in random colours with contrast, the neighbouring digits of a
house number partly in view left and right, clutter (lines, blobs, a gradient), a small
rotation and scale, blur and noise, 32x32 RGB; the label is the centre digit. Whole
typefaces are held out for `testA/` (every style of a family goes to one side), drawn as
`source_photo.held_out_ids` draws held-out photos. The target domain (B) stands in for
MNIST: scikit-learn's bundled handwritten digits (`load_digits`, 1797 images of 8x8 in
17 levels), upscaled to 24x24 (bicubic) in a black 4-pixel border (about MNIST's
20-in-28 box), white on black, with its own held-out draw. Fonts are drawn package
first (each Debian package equally likely, then a typeface of it, then a style), so one
large collection (fonts-aenigma's 465 display faces) does not make most of the set.

The layout is the unpaired one of `keras_gan.data.splits` (so CycleGAN reads it too)
with one sub-folder per label::

    OUT/trainA/<digit>/<font id>_<n>.png    printed digits, training typefaces
    OUT/testA/<digit>/<font id>_<n>.png     printed digits, held-out typefaces
    OUT/trainB/<digit>/sklearn_<index>.png  handwritten digits, training split
    OUT/testB/<digit>/sklearn_<index>.png   handwritten digits, held-out split
    OUT/manifest.json                       counts, fonts (package, licence, split)
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from keras_gan.data.sample_sets.font_catalogue import DigitFont, find_digit_fonts
from keras_gan.data.sample_sets.output_folders import prepare_output_dir, write_manifest
from keras_gan.data.sample_sets.source_photo import held_out_ids

SIDE = 32
_RENDER = 96  # the centre digit is drawn about this tall, then the crop is shrunk to SIDE
SPLITS = ("trainA", "testA", "trainB", "testB")
_MARGIN = 4  # black border of the handwritten digits (MNIST's 20-in-28 box, about)


def _luminance(colour) -> float:
    return 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]


def _colours(rng: np.random.Generator) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A background and a foreground colour at least 70 luminance levels apart."""
    while True:
        background = tuple(int(v) for v in rng.integers(0, 256, 3))
        foreground = tuple(int(v) for v in rng.integers(0, 256, 3))
        if abs(_luminance(background) - _luminance(foreground)) >= 70:
            return background, foreground


def _clutter(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng, colour_of) -> None:
    width, height = size
    for _ in range(int(rng.integers(0, 4))):
        colour = colour_of()
        box = sorted(rng.integers(0, width, 2)), sorted(rng.integers(0, height, 2))
        if rng.random() < 0.5:
            draw.line(
                [(box[0][0], box[1][0]), (box[0][1], box[1][1])],
                fill=colour,
                width=int(rng.integers(2, 10)),
            )
        else:
            draw.ellipse([box[0][0], box[1][0], box[0][1], box[1][1]], fill=colour)


def render_digit(font: DigitFont, digit: int, rng: np.random.Generator) -> np.ndarray:
    """One 32x32 RGB uint8 street-number-like crop of `digit` printed in `font`."""
    typeface = ImageFont.truetype(font.path, int(_RENDER * rng.uniform(0.8, 1.1)))
    background, foreground = _colours(rng)
    canvas = Image.new("RGB", (6 * _RENDER, 3 * _RENDER), background)
    draw = ImageDraw.Draw(canvas)
    shade = tuple(
        int(v) for v in np.clip(np.asarray(background) + rng.integers(-40, 41, 3), 0, 255)
    )
    for row in range(canvas.height):  # a soft vertical gradient
        t = row / canvas.height
        draw.line(
            [(0, row), (canvas.width, row)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(background, shade, strict=True)),
        )

    def near_background():
        return tuple(
            int(v) for v in np.clip(np.asarray(background) + rng.integers(-60, 61, 3), 0, 255)
        )

    _clutter(draw, canvas.size, rng, near_background)
    centre = (canvas.width // 2, canvas.height // 2)
    left, top, right, bottom = draw.textbbox((0, 0), str(digit), font=typeface)
    origin = (centre[0] - (left + right) // 2, centre[1] - (top + bottom) // 2)
    draw.text(origin, str(digit), fill=foreground, font=typeface)
    gap = int(rng.uniform(0.1, 0.4) * (right - left + 1))
    if rng.random() < 0.8:  # the digit to the left
        other = str(int(rng.integers(0, 10)))
        box = draw.textbbox((0, 0), other, font=typeface)
        draw.text(
            (origin[0] + left - gap - box[2], origin[1]), other, fill=foreground, font=typeface
        )
    if rng.random() < 0.8:  # the digit to the right
        other = str(int(rng.integers(0, 10)))
        box = draw.textbbox((0, 0), other, font=typeface)
        draw.text(
            (origin[0] + right + gap - box[0], origin[1]), other, fill=foreground, font=typeface
        )
    canvas = canvas.rotate(
        float(rng.uniform(-8, 8)), Image.BILINEAR, center=centre, fillcolor=background
    )
    half = int((bottom - top) * rng.uniform(0.55, 0.72))
    jitter = rng.integers(-half // 8, half // 8 + 1, 2)
    x, y = centre[0] + int(jitter[0]), centre[1] + int(jitter[1])
    crop = canvas.crop((x - half, y - half, x + half, y + half))
    crop = crop.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.0, 2.5))))
    small = np.asarray(crop.resize((SIDE, SIDE), Image.LANCZOS), "float32")
    small += rng.normal(0.0, rng.uniform(0.0, 10.0), small.shape)
    return np.clip(np.round(small), 0, 255).astype(np.uint8)


def handwritten_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits at 32x32: uint8 [1797, 32, 32] (white on black), labels [1797]."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = []
    for image in digits.images:
        small = Image.fromarray(np.round(image * 255.0 / 16.0).astype(np.uint8))
        inner = np.asarray(small.resize((SIDE - 2 * _MARGIN,) * 2, Image.BICUBIC))
        images.append(np.pad(inner, _MARGIN))
    return np.stack(images), digits.target.astype("int64")


def _font_sampler(fonts: list[DigitFont]):
    """Draws a font: a package uniformly, then one of its typefaces, then one of its styles."""
    tree: dict = {}
    for font in fonts:
        tree.setdefault(font.package or "?", {}).setdefault(font.typeface, []).append(font)
    packages = sorted(tree)

    def draw(rng: np.random.Generator) -> DigitFont:
        typefaces = tree[packages[int(rng.integers(len(packages)))]]
        styles = typefaces[sorted(typefaces)[int(rng.integers(len(typefaces)))]]
        return styles[int(rng.integers(len(styles)))]

    return draw


def _typeface_split(fonts: list[DigitFont], test_fraction: float, seed: int) -> set[str]:
    typefaces = sorted({font.typeface for font in fonts})
    return held_out_ids(typefaces, test_fraction, seed)


def build_digit_domains(
    out_dir: str | os.PathLike,
    train_images: int = 20000,
    test_images: int = 2000,
    test_fraction: float = 0.2,
    seed: int = 0,
    fonts: list[str] | None = None,
    overwrite: bool = False,
) -> dict:
    """Writes the printed -> handwritten digits set (layout in the module docstring).

    Args:
        train_images, test_images: printed digits rendered for trainA/ and testA/ (the
            centre digits uniform, the fonts drawn package first).
        test_fraction: the share of typefaces, and of scikit-learn's digits, held out.
        fonts: font files to use instead of the installed ones.
        overwrite: replace an earlier build in `out_dir`.

    Raises:
        ValueError: on bad counts or fractions, or fewer than two typefaces that draw digits.
    """
    for name, value in (("train_images", train_images), ("test_images", test_images)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int. Received: {name}={value!r}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1). Received: {test_fraction!r}")
    found = find_digit_fonts(fonts)
    if len({font.typeface for font in found}) < 2:
        raise ValueError(
            f"Found {len(found)} font(s) that draw digits, in fewer than two typefaces: "
            "install Debian font packages (`make data` does) or pass font files."
        )
    held_out = _typeface_split(found, test_fraction, seed)
    by_split = {
        "trainA": [f for f in found if f.typeface not in held_out],
        "testA": [f for f in found if f.typeface in held_out],
    }
    labelled = prepare_output_dir(
        out_dir, tuple(f"{split}/{digit}" for split in SPLITS for digit in range(10)), overwrite
    )
    folders = {split: os.path.dirname(labelled[f"{split}/0"]) for split in SPLITS}
    rng = np.random.default_rng(seed)
    counts = {}
    for split, count in (("trainA", train_images), ("testA", test_images)):
        draw_font = _font_sampler(by_split[split])
        for n in range(count):
            font = draw_font(rng)
            digit = int(rng.integers(10))
            image = render_digit(font, digit, rng)
            path = os.path.join(folders[split], str(digit), f"{font.id}_{n:06d}.png")
            Image.fromarray(image).save(path)
        counts[split] = count
    images, labels = handwritten_digits()
    test_ids = held_out_ids([str(i) for i in range(len(images))], test_fraction, seed)
    for index, (image, label) in enumerate(zip(images, labels, strict=True)):
        split = "testB" if str(index) in test_ids else "trainB"
        name = f"sklearn_{index:04d}.png"
        Image.fromarray(image).save(os.path.join(folders[split], str(label), name))
    counts["trainB"] = len(images) - len(test_ids)
    counts["testB"] = len(test_ids)
    manifest = {
        "name": "digits",
        "task": "printed street-number-like digits (A) -> handwritten digits (B), unpaired",
        "layout": "OUT/{trainA,testA,trainB,testB}/<digit>/*.png; the folder is the label "
        "(the centre digit for A); whole typefaces are held out for testA/",
        "image_shape": {"A": [SIDE, SIDE, 3], "B": [SIDE, SIDE, 1]},
        "seed": seed,
        "test_fraction": test_fraction,
        "counts": counts,
        "typefaces": {
            "train": sorted({f.typeface for f in by_split["trainA"]}),
            "test": sorted(held_out),
        },
        "fonts": [
            dataclasses.asdict(font) | {"split": "test" if font.typeface in held_out else "train"}
            for font in found
        ],
        "target_source": "scikit-learn load_digits (a copy of the UCI ML hand-written digits "
        "test set, 8x8, 17 levels), upscaled bicubic to 24x24 in a 4-pixel black border; BSD-3-Clause with scikit-learn",
    }
    write_manifest(out_dir, manifest)
    return manifest
