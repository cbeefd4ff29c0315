"""An aligned paired (Pix2Pix) set, grayscale -> colour, from real photos installed offline.

The photos come from packages that ship them, checked in this order, each skipped when
missing: scikit-image's bundled sample images (those inside the wheel, no download),
scikit-learn's sample images, Debian's `opencv-doc` sample data and Debian's
`plasma-workspace-wallpapers`, then the photos of further Debian packages
(`debian_photos.PACKAGE_PHOTOS`: `mate-backgrounds`, `darknet`, more of `opencv-doc`).
Only photographs are used (curated lists, by the rule in `debian_photos`: no drawings,
paintings, logos, calibration boards or second views), and photos without colour or that
duplicate an earlier one are skipped. Nothing is downloaded.
"""

from __future__ import annotations

import dataclasses
import gzip
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import zlib

import numpy as np
from PIL import Image

from keras_gan.data.image_files import load_image
from keras_gan.data.sample_sets.debian_photos import find_package_photos
from keras_gan.data.sample_sets.output_folders import prepare_output_dir, write_manifest
from keras_gan.data.sample_sets.source_photo import SourcePhoto, held_out_split

OPENCV_DATA_DIR = "/usr/share/doc/opencv-doc/examples/data"
WALLPAPER_DIR = "/usr/share/wallpapers"

_SKIMAGE_PHOTOS = {
    "astronaut.png": "public domain (NASA, via scikit-image)",
    "chelsea.png": "CC0 (Stefan van der Walt, via scikit-image)",
    "coffee.png": "CC0 (Rachel Michetti, via scikit-image)",
    "rocket.jpg": "public domain (SpaceX, via scikit-image)",
}
_SKLEARN_PHOTOS = {
    "china.jpg": "CC BY 2.0 (danielbuechele on Flickr, via scikit-learn)",
    "flower.jpg": "CC BY 2.0 (vultilion on Flickr, via scikit-learn)",
}
# One view per scene (aero1 not aero3, leuvenA not leuvenB, ...).
_OPENCV_PHOTOS = (
    "aero1.jpg", "aloeL.jpg", "apple.jpg", "baboon.jpg", "board.jpg", "building.jpg",
    "butterfly.jpg", "chicky_512.png", "ela_original.jpg", "fruits.jpg", "graf1.png",
    "home.jpg", "left.jpg", "leuvenA.jpg", "orange.jpg", "rubberwhale1.png", "smarties.png",
)  # fmt: skip
_OPENCV_LICENCE = "Apache-2.0 AND BSD-3-Clause (Debian opencv-doc copyright file)"
_WALLPAPERS = (
    "BytheWater", "ColorfulCups", "DarkestHour", "EveningGlow", "FallenLeaf", "Kite",
    "OneStandsOut", "Path", "summer_1am", "Volna",
)  # fmt: skip
_SCALES = (1.25, 2.0, 3.0)  # Short side of the downscaled photo, in crop sizes.
_MIN_COLOUR = 4.0  # Mean channel spread (max - min) below which a photo counts as gray.
_MIN_CROP_STD = 10.0
_DUPLICATE_DIFFERENCE = 6.0  # Mean absolute thumbnail difference under which photos match.  # Crops flatter than this (gray std) are redrawn, up to 8 times.


def find_source_photos(crop_size: int = 128) -> tuple[list[SourcePhoto], list[str]]:
    """Returns the photos found on this machine and the sources that are missing.

    For a wallpaper the smallest size whose short side is at least `3 * crop_size` is
    used (or the largest when none is).
    """
    photos, missing = [], []
    for package, folder, table in (
        ("scikit-image", ("skimage", "data"), _SKIMAGE_PHOTOS),
        ("scikit-learn", ("sklearn", "datasets", "images"), _SKLEARN_PHOTOS),
    ):
        found = _package_photos(package, folder, table)
        photos += found
        if not found:
            missing.append(f"{package} (pip install {package})")
    found = []
    for name in _OPENCV_PHOTOS:
        for path in (
            os.path.join(OPENCV_DATA_DIR, name),
            os.path.join(OPENCV_DATA_DIR, name + ".gz"),
        ):
            if os.path.isfile(path):
                stem = os.path.splitext(name)[0]
                found.append(SourcePhoto(f"opencv-{stem}", path, "opencv-doc", _OPENCV_LICENCE))
                break
    photos += found
    if not found:
        missing.append("opencv-doc (apt-get install opencv-doc)")
    found = [p for p in (_wallpaper(n, 3 * crop_size) for n in _WALLPAPERS) if p]
    photos += found
    if not found:
        missing.append("plasma-workspace-wallpapers (apt-get install plasma-workspace-wallpapers)")
    found, missing_packages = find_package_photos()
    return photos + found, missing + missing_packages


def build_photo_pairs(
    out_dir: str | os.PathLike,
    crop_size: int = 128,
    crops_per_photo: int = 32,
    test_fraction: float = 0.2,
    seed: int = 0,
    overwrite: bool = False,
) -> dict:
    """Writes an aligned grayscale -> colour set: `out_dir/train/*.png`, `out_dir/test/*.png`.

    Each file is `A | B` side by side, `[crop_size, 2 * crop_size, 3]`: A is the crop in
    grayscale (ITU-R 601-2 luma, repeated to 3 channels), B the colour crop. Whole photos
    are held out for `test/`, never crops of a training photo. Each photo is first
    downscaled so its short side is 1.25, 2 or 3 crop sizes (one drawn per crop, never
    upscaled), so crops show whole objects as well as texture; near-flat crops are
    redrawn. `manifest.json` lists every photo found, its split, licence and origin.

    Args:
        out_dir: the folder to write (created when missing); read it with
            `keras_gan.data.paired_dataset(out_dir, split="train")`.
        crop_size: the side of each crop (at least 16).
        crops_per_photo: crops cut from each photo.
        test_fraction: the share of photos held out for `test/` (at least one photo when
            above 0 and two or more photos are found).
        seed: fixes the split and the crops.
        overwrite: replace PNGs left in `train/` and `test/` by an earlier build.

    Returns:
        The manifest, as written to `out_dir/manifest.json`.

    Raises:
        FileNotFoundError: when no source is installed (the message says what to install).
        ValueError: on bad arguments or an output folder that already holds files.
    """
    if not isinstance(crop_size, int) or crop_size < 16:
        raise ValueError(f"`crop_size` must be an int >= 16. Received: crop_size={crop_size!r}")
    if not isinstance(crops_per_photo, int) or crops_per_photo < 1:
        raise ValueError(
            f"`crops_per_photo` must be a positive int. Received: crops_per_photo={crops_per_photo!r}"
        )
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(
            f"`test_fraction` must be in [0, 1). Received: test_fraction={test_fraction!r}"
        )
    photos, skipped, missing = load_source_photos(crop_size, round(_SCALES[-1] * crop_size))
    test_ids = held_out_split([source for source, _, _ in photos], test_fraction, seed)
    folders = prepare_output_dir(out_dir, ("train", "test"), overwrite)
    entries = []
    for source, array, (width, height) in photos:
        split = "test" if source.id in test_ids else "train"
        photo_rng = np.random.default_rng([seed, zlib.crc32(source.id.encode())])
        for k, crop in enumerate(_crops(array, crop_size, crops_per_photo, photo_rng)):
            gray = np.asarray(Image.fromarray(crop).convert("L"))
            pair = np.concatenate([np.repeat(gray[..., None], 3, axis=-1), crop], axis=1)
            Image.fromarray(pair).save(os.path.join(folders[split], f"{source.id}_{k:03d}.png"))
        details = {"width": width, "height": height, "split": split, "files": crops_per_photo}
        entries.append(dataclasses.asdict(source) | details)
    manifest = {
        "name": "photo_pairs",
        "task": "grayscale -> colour photo (paired image-to-image, Pix2Pix)",
        "layout": "aligned: each file is A | B side by side; A = grayscale crop (3 channels), "
        "B = colour crop; whole photos are held out for test/",
        "crop_size": crop_size,
        "file_shape": [crop_size, 2 * crop_size, 3],
        "crops_per_photo": crops_per_photo,
        "test_fraction": test_fraction,
        "seed": seed,
        "counts": {
            split: {
                "photos": sum(e["split"] == split for e in entries),
                "files": sum(e["files"] for e in entries if e["split"] == split),
            }
            for split in ("train", "test")
        },
        "photos": entries,
        "skipped": skipped,
        "missing_sources": missing,
    }
    write_manifest(out_dir, manifest)
    return manifest


def load_source_photos(
    crop_size: int, max_short_side: int
) -> tuple[list[tuple[SourcePhoto, np.ndarray, tuple[int, int]]], list[dict], list[str]]:
    """Decodes every usable colour photo found: `(source, rgb_uint8, (width, height))`.

    JPEGs decode at a reduced scale when their short side is far above `max_short_side`;
    photos smaller than `crop_size`, without colour, or near-duplicates of a photo taken
    before them (another size or view of the same picture) are skipped and listed.

    Raises:
        FileNotFoundError: when no source is installed (the message says what to install).
        ValueError: when no photo found is usable.
    """
    sources, missing = find_source_photos(crop_size)
    if not sources:
        raise FileNotFoundError(
            "No source photos found: install scikit-image or scikit-learn "
            "(pip install 'keras-gan[data]'), or the Debian packages opencv-doc, "
            "plasma-workspace-wallpapers, mate-backgrounds and darknet."
        )
    photos, skipped, thumbnails = [], [], {}
    for source in sources:
        try:
            array, size = _load(source.path, crop_size, max_short_side)
            _check_not_a_duplicate(source.id, array, thumbnails)
            photos.append((source, array, size))
        except _Unusable as reason:
            skipped.append({"id": source.id, "path": source.path, "reason": str(reason)})
    if not photos:
        raise ValueError(
            f"None of the {len(sources)} source photos is usable: {json.dumps(skipped)}"
        )
    return photos, skipped, missing


def _package_photos(package: str, folder: tuple[str, ...], table: dict) -> list[SourcePhoto]:
    spec = importlib.util.find_spec(folder[0])
    if spec is None or not spec.submodule_search_locations:
        return []
    directory = os.path.join(list(spec.submodule_search_locations)[0], *folder[1:])
    version = importlib.metadata.version(package)
    prefix = folder[0]
    return [
        SourcePhoto(f"{prefix}-{os.path.splitext(name)[0]}", path, f"{package} {version}", licence)
        for name, licence in table.items()
        if os.path.isfile(path := os.path.join(directory, name))
    ]


def _wallpaper(name: str, min_side: int) -> SourcePhoto | None:
    folder = os.path.join(WALLPAPER_DIR, name)
    images = os.path.join(folder, "contents", "images")
    if not os.path.isdir(images):
        return None
    sizes = []
    for file in os.listdir(images):
        match = re.fullmatch(r"(\d+)x(\d+)\.(jpe?g|png)", file, re.IGNORECASE)
        if match:
            sizes.append((int(match[1]), int(match[2]), os.path.join(images, file)))
    if not sizes:
        return None
    big_enough = [s for s in sizes if min(s[0], s[1]) >= min_side]
    width, height, path = min(big_enough, key=lambda s: s[0] * s[1]) if big_enough else max(sizes)
    licence = "GPL-2+ (Debian plasma-workspace-wallpapers copyright file)"
    try:
        with open(os.path.join(folder, "metadata.json"), encoding="utf-8") as f:
            plugin = json.load(f)["KPlugin"]
        authors = ", ".join(a["Name"] for a in plugin.get("Authors", []))
        licence = f"{plugin['License']} ({authors}, KDE Plasma wallpaper)"
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return SourcePhoto(f"wallpaper-{name}", path, "plasma-workspace-wallpapers", licence)


class _Unusable(Exception):
    """A source photo that is skipped; the message is the reason."""


def _load(path: str, crop_size: int, min_size: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Decodes a photo to RGB uint8 (JPEGs at a reduced scale) and gives its full size."""
    try:
        with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
            data = f.read()
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
        array = load_image(io.BytesIO(data), 3, min_size)
    except Exception as error:  # Pillow raises many types for bad files.
        raise _Unusable(f"unreadable: {error}") from error
    if min(array.shape[:2]) < crop_size:
        raise _Unusable(f"smaller than crop_size={crop_size}: {size[0]}x{size[1]}")
    spread = array.max(axis=-1).astype(np.float32) - array.min(axis=-1)
    if spread.mean() < _MIN_COLOUR:
        raise _Unusable("grayscale: no colour to learn")
    return array, size


def _check_not_a_duplicate(
    photo_id: str, array: np.ndarray, thumbnails: dict[str, np.ndarray]
) -> None:
    """Raises `_Unusable` when `array` looks like a photo in `thumbnails`; else records it.

    Two photos count as the same picture when their 32x32 colour thumbnails (aspect
    ignored) differ by less than `_DUPLICATE_DIFFERENCE` grey levels on average.
    """
    thumbnail = np.asarray(
        Image.fromarray(array).resize((32, 32), Image.Resampling.BOX), np.float32
    )
    for other_id, other in thumbnails.items():
        difference = float(np.abs(thumbnail - other).mean())
        if difference < _DUPLICATE_DIFFERENCE:
            raise _Unusable(f"near-duplicate of {other_id} (mean difference {difference:.1f})")
    thumbnails[photo_id] = thumbnail


def _crops(array: np.ndarray, crop_size: int, count: int, rng: np.random.Generator):
    """Yields `count` random crops, each from the photo downscaled to a random scale."""
    short = min(array.shape[:2])
    targets = sorted({min(short, round(s * crop_size)) for s in _SCALES})
    scaled = {}
    for _ in range(count):
        best, best_std = None, -1.0
        for _attempt in range(8):
            target = targets[rng.integers(len(targets))]
            if target not in scaled:
                height, width = array.shape[:2]
                size = (round(width * target / short), round(height * target / short))
                image = Image.fromarray(array)
                scaled[target] = np.asarray(image.resize(size, Image.Resampling.LANCZOS))
            image = scaled[target]
            y = rng.integers(image.shape[0] - crop_size + 1)
            x = rng.integers(image.shape[1] - crop_size + 1)
            crop = image[y : y + crop_size, x : x + crop_size]
            std = float(crop.mean(axis=-1).std())
            if std > best_std:
                best, best_std = crop, std
            if std >= _MIN_CROP_STD:
                break
        yield best
