import keras
import numpy as np
import pytest
import tensorflow as tf
from skimage import data, filters
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from keras_gan.metrics import image_quality
from keras_gan.metrics.image_metrics import LPIPS, PSNR, SSIM
from keras_gan.perceptual.weights import cache_dir


@pytest.fixture(scope="module")
def photos():
    """Three 48x48 photo crops (uint8) and distorted versions: noise, blur, noise + blur."""
    crops = np.stack(
        [
            data.astronaut()[100:148, 170:218],
            data.coffee()[150:198, 200:248],
            data.chelsea()[60:108, 180:228],
        ]
    )
    rng = np.random.default_rng(0)
    noisy = np.clip(crops + rng.normal(0, 10, crops.shape), 0, 255)
    blurred = np.stack(
        [filters.gaussian(c, sigma=1.2, channel_axis=-1, preserve_range=True) for c in crops]
    )
    distorted = (
        np.stack([noisy[0], blurred[1], (noisy[2] + blurred[2]) / 2]).round().astype(np.uint8)
    )
    return crops, distorted


def as_float(images: np.ndarray) -> np.ndarray:
    return (images.astype(np.float64) / 127.5 - 1.0).astype("float32")


def skimage_y(images: np.ndarray) -> np.ndarray:
    """MATLAB rgb2ycbcr's Y of uint8 RGB, written out."""
    rgb = images.astype(np.float64)
    return 16.0 + (65.481 * rgb[..., 0] + 128.553 * rgb[..., 1] + 24.966 * rgb[..., 2]) / 255.0


def skimage_values(true, pred, y_channel, shave):
    """Per-image PSNR and SSIM from scikit-image."""
    psnrs, ssims = [], []
    for a, b in zip(true, pred, strict=True):
        a, b = a.astype(np.float64), b.astype(np.float64)
        channel_axis = -1
        if y_channel:
            a, b, channel_axis = skimage_y(a), skimage_y(b), None
        if shave:
            a, b = a[shave:-shave, shave:-shave], b[shave:-shave, shave:-shave]
        psnrs.append(peak_signal_noise_ratio(a, b, data_range=255))
        ssims.append(
            structural_similarity(
                a,
                b,
                data_range=255,
                channel_axis=channel_axis,
                gaussian_weights=True,
                sigma=1.5,
                use_sample_covariance=False,
            )
        )
    return np.mean(psnrs), np.mean(ssims)


@pytest.mark.parametrize("y_channel, shave", [(False, 0), (True, 0), (False, 4), (True, 3)])
def test_agree_with_image_quality_and_scikit_image(photos, y_channel, shave):
    true, pred = photos
    psnr_metric, ssim_metric = PSNR(y_channel, shave), SSIM(y_channel, shave)
    psnr_metric.update_state(as_float(true), as_float(pred))
    ssim_metric.update_state(as_float(true), as_float(pred))
    # The metrics average per image; image_quality.psnr alone pools all pixels of a batch.
    per_image_psnr = [
        image_quality.psnr(a, b, y_channel, shave) for a, b in zip(true, pred, strict=True)
    ]
    per_image_ssim = [
        image_quality.ssim(a, b, y_channel, shave) for a, b in zip(true, pred, strict=True)
    ]
    assert float(psnr_metric.result()) == pytest.approx(np.mean(per_image_psnr), abs=1e-3)
    assert float(ssim_metric.result()) == pytest.approx(np.mean(per_image_ssim), abs=1e-4)
    reference_psnr, reference_ssim = skimage_values(true, pred, y_channel, shave)
    assert float(psnr_metric.result()) == pytest.approx(reference_psnr, abs=1e-3)
    assert float(ssim_metric.result()) == pytest.approx(reference_ssim, abs=1e-4)
    pooled = image_quality.psnr(true, pred, y_channel, shave)
    assert abs(pooled - np.mean(per_image_psnr)) > 1e-2  # the two conventions do differ here


def test_batches_accumulate_and_weights_apply(photos):
    true, pred = as_float(photos[0]), as_float(photos[1])
    for metric_class in (PSNR, SSIM):
        whole, parts = metric_class(), metric_class()
        whole.update_state(true, pred)
        parts.update_state(true[:1], pred[:1])
        parts.update_state(true[1:], pred[1:])
        assert float(parts.result()) == pytest.approx(float(whole.result()), abs=1e-6)

        single = [metric_class() for _ in range(3)]
        for i, metric in enumerate(single):
            metric.update_state(true[i : i + 1], pred[i : i + 1])
        values = np.array([float(m.result()) for m in single])
        weighted = metric_class()
        weighted.update_state(true, pred, sample_weight=np.array([1.0, 0.0, 3.0]))
        expected = (values[0] + 3 * values[2]) / 4
        assert float(weighted.result()) == pytest.approx(expected, abs=1e-5)
        whole.reset_state()
        assert float(whole.result()) == 0.0


def test_identical_images(photos):
    true = as_float(photos[0])
    psnr, ssim = PSNR(), SSIM()
    psnr.update_state(true, true)
    ssim.update_state(true, true)
    assert float(psnr.result()) == float("inf")
    assert float(ssim.result()) == pytest.approx(1.0)


def test_inside_tf_function_and_compiled_evaluate(photos):
    true, pred = as_float(photos[0]), as_float(photos[1])
    eager = {cls.__name__: cls() for cls in (PSNR, SSIM)}
    for metric in eager.values():
        metric.update_state(true, pred)
    traced = {cls.__name__: cls() for cls in (PSNR, SSIM)}

    @tf.function(jit_compile=True)
    def step(y_true, y_pred):
        for metric in traced.values():
            metric.update_state(y_true, y_pred)
        return {name: metric.result() for name, metric in traced.items()}

    step(true[:2], pred[:2])
    results = step(true[2:], pred[2:])
    for name, metric in eager.items():
        assert float(results[name]) == pytest.approx(float(metric.result()), abs=1e-5)

    # In `compile`: the model maps `pred` images to themselves; targets are the originals.
    model = keras.Sequential([keras.Input((48, 48, 3)), keras.layers.Identity()])
    model.compile(loss="mae", metrics=[PSNR(shave=2), SSIM(y_channel=True)])
    scores = model.evaluate(pred, true, batch_size=2, verbose=0, return_dict=True)
    expected_psnr = np.mean(
        [image_quality.psnr(b, a, shave=2) for a, b in zip(*photos, strict=True)]
    )
    expected_ssim = np.mean([image_quality.ssim(b, a, True) for a, b in zip(*photos, strict=True)])
    assert scores["psnr"] == pytest.approx(expected_psnr, abs=1e-3)
    assert scores["ssim"] == pytest.approx(expected_ssim, abs=1e-4)


def test_config_round_trip():
    for metric_class in (PSNR, SSIM):
        metric = metric_class(y_channel=True, shave=4, name="m")
        config = metric.get_config()
        restored = metric_class.from_config(config)
        assert (restored.y_channel, restored.shave, restored.name) == (True, 4, "m")
        assert (
            keras.saving.get_registered_name(metric_class) == f"keras_gan>{metric_class.__name__}"
        )
        restored = keras.metrics.deserialize(keras.metrics.serialize(metric))
        assert isinstance(restored, metric_class) and restored.shave == 4


def test_bad_arguments():
    with pytest.raises(ValueError, match="shave=-1"):
        PSNR(shave=-1)
    with pytest.raises(ValueError, match="at least 11x11"):
        SSIM(shave=3).update_state(np.zeros((1, 16, 16, 3)), np.zeros((1, 16, 16, 3)))
    with pytest.raises(ValueError, match="differ in shape"):
        PSNR().update_state(np.zeros((1, 16, 16, 3)), np.zeros((1, 16, 16, 1)))
    with pytest.raises(ValueError, match=r"\[N, H, W, C\]"):
        PSNR().update_state(np.zeros((16, 16, 3)), np.zeros((16, 16, 3)))


def test_lpips_metric_is_the_mean_distance(photos):
    if not (cache_dir() / "lpips_vgg16_linear.npz").is_file():
        pytest.skip(f"No LPIPS weights in {cache_dir()}: run `make weights`.")
    true, pred = as_float(photos[0]), as_float(photos[1])
    metric = LPIPS()
    metric.update_state(true[:2], pred[:2])
    metric.update_state(true[2:], pred[2:])
    distances = np.asarray(metric.distance(true, pred))
    assert float(metric.result()) == pytest.approx(float(distances.mean()), rel=1e-5)
    assert 0 < float(metric.result()) < 1
    assert metric.variables and all(v.dtype == "float64" for v in metric.variables)
    restored = LPIPS.from_config(metric.get_config())
    assert restored.name == "lpips" and restored.distance.vgg_weights == "imagenet"
