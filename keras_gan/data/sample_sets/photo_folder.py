"""Whole sample photos in `train/` and `test/` folders: data for super-resolution,
colorization and style transfer, built from photos installed offline.

The photos and the held-out split are those of `build_photo_pairs` (same sources, same
seed, same held-out photos), so a photo held out by one set is held out by the other.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np
from PIL import Image

from keras_gan.data.sample_sets.output_folders import prepare_output_dir, write_manifest
from keras_gan.data.sample_sets.photo_pairs import load_source_photos
from keras_gan.data.sample_sets.source_photo import held_out_split


def build_photo_folder(
    out_dir: str | os.PathLike,
    max_side: int = 1024,
    min_side: int = 128,
    test_fraction: float = 0.2,
    seed: int = 0,
    overwrite: bool = False,
) -> dict:
    """Writes every usable colour photo as a PNG to `out_dir/train/` or `out_dir/test/`.

    Args:
        out_dir: the folder to write (created when missing).
        max_side: photos whose longer side exceeds this are downscaled (Lanczos) to it.
        min_side: photos whose shorter side is below this are skipped.
        test_fraction: the share of photos held out for `test/`.
        seed: fixes the split (the same as `build_photo_pairs` with the same seed).
        overwrite: replace PNGs left in `train/` and `test/` by an earlier build.

    Returns:
        The manifest, as written to `out_dir/manifest.json`: every photo's origin,
        licence, original and written size, and split.
    """
    if not isinstance(max_side, int) or max_side < min_side:
        raise ValueError(
            f"`max_side` must be an int >= min_side ({min_side}). Received: max_side={max_side!r}"
        )
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(
            f"`test_fraction` must be in [0, 1). Received: test_fraction={test_fraction!r}"
        )
    photos, skipped, missing = load_source_photos(min_side, max_side)
    test_ids = held_out_split([source for source, _, _ in photos], test_fraction, seed)
    folders = prepare_output_dir(out_dir, ("train", "test"), overwrite)
    entries = []
    for source, array, (width, height) in photos:
        split = "test" if source.id in test_ids else "train"
        image = Image.fromarray(array)
        longest = max(image.size)
        if longest > max_side:
            factor = max_side / longest
            size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
            image = image.resize(size, Image.Resampling.LANCZOS)
        image.save(os.path.join(folders[split], f"{source.id}.png"))
        written = {"written_width": image.width, "written_height": image.height}
        entries.append(
            dataclasses.asdict(source)
            | {"width": width, "height": height, "split": split}
            | written
        )
    manifest = {
        "name": "photos",
        "task": "whole colour photos (super-resolution, colorization, style transfer content)",
        "layout": "train/*.png and test/*.png, one file per photo; whole photos held out",
        "max_side": max_side,
        "test_fraction": test_fraction,
        "seed": seed,
        "counts": {
            split: int(np.sum([e["split"] == split for e in entries]))
            for split in ("train", "test")
        },
        "photos": entries,
        "skipped": skipped,
        "missing_sources": missing,
    }
    write_manifest(out_dir, manifest)
    return manifest
