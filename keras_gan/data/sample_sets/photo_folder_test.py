import numpy as np
import pytest
from PIL import Image

from keras_gan.data.sample_sets import photo_pairs
from keras_gan.data.sample_sets.photo_folder import build_photo_folder
from keras_gan.data.sample_sets.photo_pairs import SourcePhoto, build_photo_pairs


@pytest.fixture
def fake_sources(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    sources = []
    for i, (height, width) in enumerate([(60, 80), (50, 300), (120, 90), (70, 70), (64, 64)]):
        path = tmp_path / f"p{i}.png"
        Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8)).save(path)
        sources.append(SourcePhoto(f"test-p{i}", str(path), "test", "CC0"))
    monkeypatch.setattr(photo_pairs, "find_source_photos", lambda crop_size: (sources, []))
    return sources


def test_whole_photos_with_the_photo_pairs_split(tmp_path, fake_sources):
    manifest = build_photo_folder(tmp_path / "photos", max_side=128, min_side=16, test_fraction=0.4)
    pairs = build_photo_pairs(
        tmp_path / "pairs", crop_size=16, crops_per_photo=1, test_fraction=0.4
    )
    held_out = {p["id"] for p in manifest["photos"] if p["split"] == "test"}
    assert held_out == {p["id"] for p in pairs["photos"] if p["split"] == "test"}
    assert manifest["counts"] == {"train": 3, "test": 2}
    for entry in manifest["photos"]:
        image = Image.open(tmp_path / "photos" / entry["split"] / f"{entry['id']}.png")
        assert image.size == (entry["written_width"], entry["written_height"])
        assert max(image.size) <= 128
    wide = next(e for e in manifest["photos"] if e["id"] == "test-p1")
    assert (wide["written_width"], wide["written_height"]) == (128, 21)
    square = next(e for e in manifest["photos"] if e["id"] == "test-p3")
    kept = Image.open(tmp_path / "photos" / square["split"] / "test-p3.png")
    np.testing.assert_array_equal(np.asarray(kept), np.asarray(Image.open(fake_sources[3].path)))


def test_bad_arguments(tmp_path, fake_sources):
    with pytest.raises(ValueError, match="max_side"):
        build_photo_folder(tmp_path / "x", max_side=8, min_side=16)
    with pytest.raises(ValueError, match="test_fraction"):
        build_photo_folder(tmp_path / "x", test_fraction=1.0)
