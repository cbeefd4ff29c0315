import numpy as np
import pytest
from PIL import Image
from skimage.data import astronaut

from keras_gan.data.crops import SmallImageWarning
from keras_gan.data.image_files import CorruptImageWarning
from keras_gan.data.super_resolution import (
    bicubic_upscale,
    crop_to_multiple,
    downscale,
    super_resolution_dataset,
)

HR, SCALE = 16, 4


@pytest.fixture(scope="module")
def photos():
    """Three 40x48 pieces of a real photo, uint8."""
    image = astronaut()
    return [image[y : y + 40, x : x + 48] for y, x in ((60, 180), (200, 120), (300, 300))]


@pytest.fixture
def photo_folder(tmp_path, photos, make_image, make_corrupt_files):
    root = tmp_path / "photos"
    for i, photo in enumerate(photos):
        make_image(str(root / f"photo{i}.png"), photo)
    make_image(str(root / "tiny.png"), photos[0][:10, :10])  # smaller than the crop
    make_corrupt_files(str(root / "broken"))
    return root


def _dataset(folder, **kwargs):
    with pytest.warns(SmallImageWarning, match="Skipped 1 image"):
        with pytest.warns(CorruptImageWarning):
            return super_resolution_dataset(
                folder, SCALE, HR, batch_size=4, crops_per_image=2, **kwargs
            )


def _pil_resize(images, size):
    """PIL's BICUBIC on float32 ("F") images, channel by channel."""
    return np.stack(
        [
            np.asarray(Image.fromarray(images[..., c], "F").resize(size, Image.BICUBIC))
            for c in range(3)
        ],
        axis=-1,
    )


def _dihedral(image):
    """The 8 flips and quarter turns of an image."""
    turns = [np.rot90(image, k) for k in range(4)]
    return turns + [np.fliplr(t) for t in turns]


def test_pairs_are_photo_crops_and_their_downscaled_copies(photo_folder, photos):
    batches = list(_dataset(photo_folder).take(3).as_numpy_iterator())
    sources = [s.astype("float32") / 127.5 - 1 for p in photos for s in _dihedral(p)]
    for low, high in batches:
        assert low.shape == (4, HR // SCALE, HR // SCALE, 3) and high.shape == (4, HR, HR, 3)
        assert low.dtype == high.dtype == np.float32
        assert low.min() >= -1 and low.max() <= 1 and high.min() >= -1 and high.max() <= 1
        np.testing.assert_allclose(low, downscale(high, SCALE), atol=1e-6)
        for crop in high:  # each HR crop is a window of a turned or flipped photo
            found = any(
                np.allclose(source[y : y + HR, x : x + HR], crop)
                for source in sources
                for y in range(source.shape[0] - HR + 1)
                for x in range(source.shape[1] - HR + 1)
            )
            assert found


def test_same_seed_same_pairs_and_the_finite_version_ends(photo_folder):
    first = next(iter(_dataset(photo_folder, seed=3)))[1].numpy()
    again = next(iter(_dataset(photo_folder, seed=3)))[1].numpy()
    other = next(iter(_dataset(photo_folder, seed=4)))[1].numpy()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    finite = _dataset(photo_folder, repeat=False, shuffle=False, cache=True)
    # 3 photos x 2 crops = 6 pairs: one full batch of 4, the remainder dropped.
    assert sum(1 for _ in finite) == 1


def test_degradations_change_the_low_res_images(photo_folder):
    def residual(degradations):
        pairs = _dataset(photo_folder, degradations=degradations, seed=1).take(4)
        lows, highs = zip(*[(lo, hi) for lo, hi in pairs.as_numpy_iterator()], strict=True)
        low, high = np.concatenate(lows), np.concatenate(highs)
        assert low.shape == (16, 4, 4, 3) and low.min() >= -1 and low.max() <= 1
        return low, np.asarray(downscale(high, SCALE))

    def roughness(images):
        return np.abs(np.diff(images, axis=1)).mean() + np.abs(np.diff(images, axis=2)).mean()

    low, clean = residual(["blur"])
    assert roughness(low) < 0.9 * roughness(clean)
    low, clean = residual(["noise"])
    assert 0 < np.abs(low - clean).mean() < 0.05
    assert abs(np.mean(low - clean)) < 0.01  # zero-mean noise
    low, clean = residual(["jpeg"])
    assert np.abs(low - clean).mean() > 1e-3
    low, clean = residual(("jpeg", "noise", "blur"))  # any order; applied blur, noise, jpeg
    assert np.abs(low - clean).mean() > 1e-3


def test_resizes_match_pils_bicubic(photos):
    image = photos[0][:, :40].astype("float32") / 127.5 - 1
    small = np.asarray(downscale(image, SCALE))
    assert small.shape == (10, 10, 3)
    np.testing.assert_allclose(small, np.clip(_pil_resize(image, (10, 10)), -1, 1), atol=1e-5)
    large = np.asarray(bicubic_upscale(small[None], SCALE))
    assert large.shape == (1, 40, 40, 3)
    np.testing.assert_allclose(large[0], np.clip(_pil_resize(small, (40, 40)), -1, 1), atol=1e-5)
    assert large.min() >= -1 and large.max() <= 1


def test_crop_to_multiple():
    images = np.zeros((2, 10, 13, 3), "float32")
    assert crop_to_multiple(images, 4).shape == (2, 8, 12, 3)
    assert crop_to_multiple(images[0], 3).shape == (9, 12, 3)
    with pytest.raises(ValueError, match="smaller than multiple=16"):
        crop_to_multiple(images, 16)


def test_bad_arguments_are_named(photo_folder, tmp_path, make_image, photos):
    with pytest.raises(ValueError, match="multiple of scale=4. Received: high_res_size=18"):
        super_resolution_dataset(photo_folder, 4, 18)
    with pytest.raises(ValueError, match=r"Unknown degradation\(s\) \['sharpen'\]"):
        super_resolution_dataset(photo_folder, 4, 16, degradations=["blur", "sharpen"])
    with pytest.raises(ValueError, match="scale` must be an int >= 2. Received: scale=1"):
        super_resolution_dataset(photo_folder, 1, 16)
    with pytest.raises(ValueError, match="crops_per_image"):
        super_resolution_dataset(photo_folder, 4, 16, crops_per_image=0)
    small = tmp_path / "small"
    make_image(str(small / "a.png"), photos[0][:12, :20])
    with pytest.raises(ValueError, match="No photo in .* is at least 16x16"):
        super_resolution_dataset(small, 4, 16)
    with pytest.raises(ValueError, match="multiples of scale=4"):
        downscale(np.zeros((1, 10, 12, 3), "float32"), 4)
    with pytest.raises(ValueError, match=r"\[N, H, W, C\] or \[H, W, C\]"):
        bicubic_upscale(np.zeros((4, 4), "float32"), 2)
