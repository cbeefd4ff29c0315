import numpy as np
import pytest
from skimage import data
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from keras_gan.metrics.image_quality import luma, psnr, ssim, to_uint8_range


@pytest.fixture(scope="module")
def photo_and_noisy():
    photo = data.astronaut()[100:228, 150:278]
    rng = np.random.default_rng(0)
    noisy = np.clip(photo + rng.normal(0, 12, photo.shape), 0, 255).astype(np.uint8)
    return photo, noisy


def test_psnr_equals_scikit_image(photo_and_noisy):
    photo, noisy = photo_and_noisy
    expected = peak_signal_noise_ratio(photo, noisy, data_range=255)
    assert psnr(photo, noisy) == pytest.approx(expected, abs=1e-9)
    assert psnr(photo, photo) == float("inf")


def test_ssim_equals_scikit_image_per_channel(photo_and_noisy):
    photo, noisy = photo_and_noisy
    expected = structural_similarity(
        photo,
        noisy,
        data_range=255,
        channel_axis=-1,
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False,
    )
    assert ssim(photo, noisy) == pytest.approx(expected, abs=1e-6)
    assert ssim(photo, photo) == pytest.approx(1.0)


def test_y_channel_is_bt601_and_shave_drops_the_border(photo_and_noisy):
    photo, noisy = photo_and_noisy
    white = np.full((1, 1, 3), 255, np.uint8)
    assert luma(white.astype(float)).item() == pytest.approx(235.0)
    assert luma(np.zeros((1, 1, 3))).item() == pytest.approx(16.0)
    y_photo = luma(photo.astype(float))
    y_noisy = luma(noisy.astype(float))
    expected = peak_signal_noise_ratio(y_photo[4:-4, 4:-4], y_noisy[4:-4, 4:-4], data_range=255)
    assert psnr(photo, noisy, y_channel=True, shave=4) == pytest.approx(expected, abs=1e-9)
    # Damage confined to the border does not count once shaved.
    damaged = photo.copy()
    damaged[:4] = 0
    assert psnr(photo, damaged, shave=4) == float("inf")


def test_float_images_in_minus_one_one_are_mapped_to_uint8_range(photo_and_noisy):
    photo, noisy = photo_and_noisy
    as_float = photo.astype(np.float32) / 127.5 - 1.0
    np.testing.assert_allclose(to_uint8_range(as_float), photo, atol=1e-3)
    assert psnr(as_float, noisy) == pytest.approx(psnr(photo, noisy), abs=1e-3)


def test_bad_inputs_name_the_problem():
    with pytest.raises(ValueError, match="differ in shape"):
        psnr(np.zeros((8, 8, 3), np.uint8), np.zeros((8, 9, 3), np.uint8))
    with pytest.raises(ValueError, match="too small"):
        psnr(np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8, 3), np.uint8), shave=4)
