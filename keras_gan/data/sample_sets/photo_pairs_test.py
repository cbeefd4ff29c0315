import gzip
import json
import os

import numpy as np
import pytest
from PIL import Image

from keras_gan.data.paired import paired_files
from keras_gan.data.sample_sets import photo_pairs
from keras_gan.data.sample_sets.photo_pairs import (
    SourcePhoto,
    build_photo_pairs,
    find_source_photos,
)


def _photo(height, width, seed):
    """A colourful photo stand-in: smooth colour ramps plus noise, so crops are not flat."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    ramps = np.stack([x * 255 // width, y * 255 // height, (x + y) * 127 // (width + height)], -1)
    return np.clip(ramps + rng.integers(-30, 30, (height, width, 3)), 0, 255).astype(np.uint8)


@pytest.fixture
def fake_sources(tmp_path, monkeypatch, make_image, make_corrupt_files):
    """Five usable photos (one gzipped) and three unusable ones, in place of the real sources."""
    folder = tmp_path / "photos"
    sources = []
    for i, (height, width) in enumerate([(60, 80), (50, 50), (120, 90), (40, 70)]):
        path = make_image(str(folder / f"p{i}.jpg"), _photo(height, width, i), quality=95)
        sources.append(SourcePhoto(f"test-p{i}", path, "test", "CC0"))
    make_image(str(folder / "zipped.png"), _photo(48, 64, 9))
    (folder / "zipped.png.gz").write_bytes(gzip.compress((folder / "zipped.png").read_bytes()))
    sources.append(SourcePhoto("test-zipped", str(folder / "zipped.png.gz"), "test", "CC0"))
    copy = Image.open(sources[2].path).resize((60, 80))  # p2 at another size
    sources.append(
        SourcePhoto("test-copy", make_image(str(folder / "copy.png"), np.asarray(copy)), "t", "l")
    )
    gray = make_image(str(folder / "gray.png"), np.full((60, 60), 90, np.uint8))
    tiny = make_image(str(folder / "tiny.png"), _photo(10, 40, 5))
    corrupt = make_corrupt_files(str(folder))[0]
    for name, path in (("gray", gray), ("tiny", tiny), ("corrupt", corrupt)):
        sources.append(SourcePhoto(f"test-{name}", path, "test", "CC0"))
    monkeypatch.setattr(photo_pairs, "find_source_photos", lambda crop_size: (sources, ["x"]))
    return sources


def _photo_ids(folder):
    return {name.rsplit("_", 1)[0] for name in os.listdir(folder)}


def test_builds_aligned_pairs_holding_out_whole_photos(tmp_path, fake_sources):
    out = tmp_path / "out"
    manifest = build_photo_pairs(out, crop_size=16, crops_per_photo=3, test_fraction=0.4)
    assert json.loads((out / "manifest.json").read_text()) == manifest
    assert manifest["counts"] == {
        "train": {"photos": 3, "files": 9},
        "test": {"photos": 2, "files": 6},
    }
    assert {s["id"]: s["reason"].split(":")[0].split(" (mean")[0] for s in manifest["skipped"]} == {
        "test-gray": "grayscale",
        "test-tiny": "smaller than crop_size=16",
        "test-corrupt": "unreadable",
        "test-copy": "near-duplicate of test-p2",
    }
    train, test = _photo_ids(out / "train"), _photo_ids(out / "test")
    assert not train & test and len(train | test) == 5
    assert {p["id"] for p in manifest["photos"] if p["split"] == "test"} == test
    assert {p["id"]: (p["width"], p["height"]) for p in manifest["photos"]}["test-p2"] == (90, 120)
    for name in os.listdir(out / "train"):
        pair = np.asarray(Image.open(out / "train" / name))
        assert pair.shape == (16, 32, 3)
        a, b = pair[:, :16], pair[:, 16:]
        assert (a[..., 0] == a[..., 1]).all() and (a[..., 0] == a[..., 2]).all()
        np.testing.assert_array_equal(a[..., 0], np.asarray(Image.fromarray(b).convert("L")))
    assert len(paired_files(out, split="test")) == 6


def test_same_seed_same_files_and_overwrite(tmp_path, fake_sources):
    first = build_photo_pairs(tmp_path / "a", crop_size=16, crops_per_photo=2, seed=4)
    build_photo_pairs(tmp_path / "b", crop_size=16, crops_per_photo=2, seed=4)
    for split in ("train", "test"):
        names = sorted(os.listdir(tmp_path / "a" / split))
        assert names == sorted(os.listdir(tmp_path / "b" / split))
        for name in names:
            assert (tmp_path / "a" / split / name).read_bytes() == (
                tmp_path / "b" / split / name
            ).read_bytes()
    with pytest.raises(ValueError, match=r"already holds files.*overwrite=True"):
        build_photo_pairs(tmp_path / "a", crop_size=16, crops_per_photo=2)
    second = build_photo_pairs(tmp_path / "a", crop_size=16, crops_per_photo=1, overwrite=True)
    assert second["counts"]["train"]["files"] == first["counts"]["train"]["photos"]
    assert len(os.listdir(tmp_path / "a" / "train")) == second["counts"]["train"]["files"]


def test_no_sources_and_bad_arguments(tmp_path, monkeypatch):
    monkeypatch.setattr(photo_pairs, "find_source_photos", lambda crop_size: ([], []))
    with pytest.raises(FileNotFoundError, match="No source photos found: install"):
        build_photo_pairs(tmp_path)
    for kwargs, key in [
        (dict(crop_size=8), "crop_size"),
        (dict(crops_per_photo=0), "crops_per_photo"),
        (dict(test_fraction=1.0), "test_fraction"),
    ]:
        with pytest.raises(ValueError, match=key):
            build_photo_pairs(tmp_path, **kwargs)


def test_finds_wallpapers_and_opencv_samples(tmp_path, monkeypatch, make_image):
    images = tmp_path / "wallpapers" / "Path" / "contents" / "images"
    for size in ("640x480", "1920x1080", "320x200"):
        (images / f"{size}.jpg").parent.mkdir(parents=True, exist_ok=True)
        (images / f"{size}.jpg").write_bytes(b"not opened")
    metadata = {"KPlugin": {"License": "LGPLv3", "Authors": [{"Name": "Someone"}]}}
    (tmp_path / "wallpapers" / "Path" / "metadata.json").write_text(json.dumps(metadata))
    make_image(str(tmp_path / "opencv" / "fruits.jpg"), _photo(8, 8, 0))
    (tmp_path / "opencv" / "baboon.jpg.gz").write_bytes(b"gz")
    make_image(str(tmp_path / "opencv" / "chessboard.png"), _photo(8, 8, 0))  # not a photo
    monkeypatch.setattr(photo_pairs, "WALLPAPER_DIR", str(tmp_path / "wallpapers"))
    monkeypatch.setattr(photo_pairs, "OPENCV_DATA_DIR", str(tmp_path / "opencv"))
    monkeypatch.setattr(photo_pairs, "find_package_photos", lambda: ([], []))
    photos, _ = find_source_photos(crop_size=128)  # needs a short side >= 384
    found = {p.id: p for p in photos if p.source in ("opencv-doc", "plasma-workspace-wallpapers")}
    assert sorted(found) == ["opencv-baboon", "opencv-fruits", "wallpaper-Path"]
    assert found["wallpaper-Path"].path.endswith("640x480.jpg")
    assert found["wallpaper-Path"].licence.startswith("LGPLv3 (Someone")
    assert found["opencv-baboon"].path.endswith(".gz")
    photos, _ = find_source_photos(crop_size=512)  # none big enough: the largest
    assert [p.path for p in photos if p.id == "wallpaper-Path"][0].endswith("1920x1080.jpg")


def test_real_sources_on_this_machine(tmp_path):
    photos, _ = find_source_photos(crop_size=32)
    if len(photos) < 2:
        pytest.skip("no sample photos installed: pip install scikit-image scikit-learn")
    manifest = build_photo_pairs(tmp_path, crop_size=32, crops_per_photo=1)
    train, test = _photo_ids(tmp_path / "train"), _photo_ids(tmp_path / "test")
    assert train and test and not train & test
    assert len(train | test) + len(manifest["skipped"]) == len(photos)
    name = sorted(os.listdir(tmp_path / "test"))[0]
    assert np.asarray(Image.open(tmp_path / "test" / name)).shape == (32, 64, 3)
    assert all(p["licence"] and p["source"] for p in manifest["photos"])
