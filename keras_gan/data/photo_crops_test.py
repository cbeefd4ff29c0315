import numpy as np
import pytest
from PIL import Image
from skimage import data

from keras_gan.data.photo_crops import photo_crop_dataset


@pytest.fixture
def photo_folder(tmp_path):
    Image.fromarray(data.astronaut()).save(tmp_path / "astronaut.png")  # 512 x 512
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.jpg")  # 400 x 600
    Image.fromarray(data.astronaut()[:40, :40]).save(tmp_path / "tiny.png")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    return tmp_path


def test_crops_are_scaled_views_of_the_photos_in_range(photo_folder):
    with pytest.warns(UserWarning):
        dataset = photo_crop_dataset(photo_folder, 64, batch_size=4, max_zoom_out=2.0, seed=1)
    batches = [b.numpy() for b in dataset.take(8)]
    assert all(b.shape == (4, 64, 64, 3) and b.dtype == np.float32 for b in batches)
    crops = np.concatenate(batches)
    assert crops.min() >= -1.0 and crops.max() <= 1.0
    # Short side shrunk to at most 2 crops: a crop covers a large share of the photo,
    # so its colours vary (not flat texture) and crops differ from each other.
    assert np.mean([c.std() for c in crops]) > 0.1
    assert len({c.tobytes() for c in crops}) == len(crops)


def test_same_seed_same_crops(photo_folder):
    with pytest.warns(UserWarning):
        first = next(iter(photo_crop_dataset(photo_folder, 32, 2, seed=3))).numpy()
    with pytest.warns(UserWarning):
        again = next(iter(photo_crop_dataset(photo_folder, 32, 2, seed=3))).numpy()
    np.testing.assert_array_equal(first, again)


def test_bad_arguments(photo_folder):
    with pytest.raises(ValueError, match="crop_size"):
        photo_crop_dataset(photo_folder, 4)
    with pytest.raises(ValueError, match="max_zoom_out"):
        photo_crop_dataset(photo_folder, 32, max_zoom_out=0.5)
    with pytest.raises(ValueError, match="at least 1024x1024"):
        photo_crop_dataset(photo_folder, 1024)


def _half_flat_photo(folder):
    """256 x 256: the left quarter one flat grey (a blown-out sky), the rest coffee."""
    photo = np.full((256, 256, 3), 200, np.uint8)
    photo[:, 64:] = data.coffee()[:256, 200:392]
    Image.fromarray(photo).save(folder / "sky.png")


def _spreads(dataset, batches):
    crops = np.concatenate([b.numpy() for b in dataset.take(batches)])
    return crops.std(axis=(1, 2, 3)) * 127.5  # grey levels


def test_flat_crops_are_replaced_by_detailed_ones(tmp_path):
    _half_flat_photo(tmp_path)
    options = dict(crop_size=16, batch_size=8, max_zoom_out=16.0, seed=0)
    kept_all = _spreads(photo_crop_dataset(tmp_path, min_std=0.0, **options), 8)
    assert np.mean(kept_all < 2.0) > 0.1  # some random spots are all sky
    detailed = _spreads(photo_crop_dataset(tmp_path, **options), 8)
    assert detailed.min() >= 2.0


def test_a_flat_photo_still_yields_crops(tmp_path):
    Image.fromarray(np.full((64, 64, 3), 90, np.uint8)).save(tmp_path / "grey.png")
    dataset = photo_crop_dataset(tmp_path, 32, 4, repeat=False, shuffle=False)
    crops = np.concatenate([b.numpy() for b in dataset])
    assert crops.shape == (8, 32, 32, 3)
    np.testing.assert_allclose(crops, 90 / 127.5 - 1.0, atol=1e-6)
    with pytest.raises(ValueError, match="min_std"):
        photo_crop_dataset(tmp_path, 32, min_std=-1.0)
