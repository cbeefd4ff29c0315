"""`compile(metrics=[...])` in `evaluate`: image-to-image metrics on (target, output), FID on samples."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from skimage import data as skimage_data

from keras_gan.data.super_resolution import downscale
from keras_gan.metrics import PSNR, SSIM, FrechetDistance, frechet_distance_from_features, psnr
from keras_gan.models.colorization import Colorizer
from keras_gan.models.cyclegan import CycleGAN
from keras_gan.models.dcgan import DCGAN
from keras_gan.models.pix2pix import Pix2Pix
from keras_gan.models.srgan import SRGAN
from keras_gan.testing.tiny_configs import tiny_config


def _photos(n: int, size: int) -> np.ndarray:
    """`n` crops [size, size, 3] of scikit-image's astronaut, float32 in [-1, 1]."""
    photo = skimage_data.astronaut().astype("float32") / 127.5 - 1.0
    return np.stack([photo[40 * i : 40 * i + size, 100 : 100 + size] for i in range(n)])


def _per_image_psnr(outputs, targets) -> float:
    return float(np.mean([psnr(o, t) for o, t in zip(outputs, targets, strict=True)]))


def _tiny_extractor() -> keras.Model:
    """A fixed, fast feature network [N, 28, 28, 1] -> [N, 3]."""
    inputs = keras.Input((28, 28, 1))
    pooled = keras.layers.AveragePooling2D(7)(inputs)
    features = keras.layers.Dense(3, kernel_initializer=keras.initializers.GlorotUniform(seed=1))(
        keras.layers.Flatten()(pooled)
    )
    return keras.Model(inputs, features, name="tiny_features")


class _Recorder(keras.metrics.Metric):
    """Keeps the (reference, generated) batches it is given (eager runs only)."""

    def __init__(self, name="recorder"):
        super().__init__(name=name)
        self.batches = []

    def update_state(self, reference, generated, sample_weight=None):
        self.batches.append((np.asarray(reference), np.asarray(generated)))

    def result(self):
        return 0.0

    def reset_state(self):
        self.batches = []


def test_srgan_evaluate_reports_compiled_psnr_and_ssim_of_the_outputs():
    high = _photos(4, 32)
    low = np.asarray(downscale(high, 4))
    model = SRGAN(**tiny_config("srgan"))
    model.compile(metrics=[PSNR(), SSIM()])
    dataset = tf.data.Dataset.from_tensor_slices((low, high)).batch(2)
    logs = model.evaluate(dataset, verbose=0, return_dict=True)
    assert sorted(logs) == ["l1", "psnr", "ssim"]
    expected = _per_image_psnr(model.upscale(low), high)
    assert logs["psnr"] == pytest.approx(expected, abs=1e-3)
    # The compiled psnr (peak 255) replaces the built-in tracker of the same name.
    assert [m.name for m in model.metrics].count("psnr") == 1


def test_colorizer_evaluate_reports_compiled_psnr_of_the_colorized_photos():
    photos = _photos(2, 128)
    model = Colorizer(**tiny_config("colorizer"))
    model.compile(metrics=[PSNR(name="rgb_psnr")])
    result = model.evaluate(
        tf.data.Dataset.from_tensor_slices(photos).batch(2), verbose=0, return_dict=True
    )
    assert {"psnr", "baseline_psnr", "rgb_psnr"} <= set(result)
    expected = _per_image_psnr(model.colorize(photos), photos)
    assert result["rgb_psnr"] == pytest.approx(expected, abs=1e-3)


def test_pix2pix_evaluate_reports_compiled_psnr_of_the_translations():
    rng = np.random.default_rng(0)
    source = np.tanh(rng.normal(size=(2, 128, 128, 3))).astype("float32")
    target = _photos(2, 128)
    model = Pix2Pix(**tiny_config("pix2pix"))
    model.compile(metrics=[PSNR()])
    dataset = tf.data.Dataset.from_tensor_slices((source, target)).batch(1)
    logs = model.evaluate(dataset, verbose=0, return_dict=True)
    expected = _per_image_psnr(model.translate(source), target)
    assert logs["psnr"] == pytest.approx(expected, abs=1e-3)


def _real_images(n=48):
    rng = np.random.default_rng(3)
    return np.tanh(rng.normal(size=(n, 28, 28, 1)) + np.linspace(-1, 1, 28)[:, None]).astype(
        "float32"
    )


def test_dcgan_evaluate_reports_the_frechet_distance_of_real_and_new_samples():
    real = _real_images()
    dataset = tf.data.Dataset.from_tensor_slices(real).batch(16)
    extractor = _tiny_extractor()
    model = DCGAN(**tiny_config("dcgan"))
    recorder = _Recorder()
    model.compile(metrics=[FrechetDistance(extractor), recorder], run_eagerly=True)
    logs = model.evaluate(dataset, verbose=0, return_dict=True)
    np.testing.assert_array_equal(np.concatenate([r for r, _ in recorder.batches]), real)
    generated = [g for _, g in recorder.batches]
    assert [g.shape for g in generated] == [(16, 28, 28, 1)] * 3
    assert not np.allclose(generated[0], generated[1])  # every batch gets new samples
    expected = frechet_distance_from_features(
        extractor.predict(real, verbose=0), extractor.predict(np.concatenate(generated), verbose=0)
    )
    assert logs["frechet_distance"] == pytest.approx(expected, rel=1e-4)

    # A second evaluate starts from reset metrics and draws the same samples.
    again = model.evaluate(dataset, verbose=0, return_dict=True)
    assert again["frechet_distance"] == pytest.approx(logs["frechet_distance"], rel=1e-6)
    first_batch = model.evaluate(dataset.take(1), verbose=0, return_dict=True)
    expected_first = frechet_distance_from_features(
        extractor.predict(real[:16], verbose=0), extractor.predict(generated[0], verbose=0)
    )
    assert first_batch["frechet_distance"] == pytest.approx(expected_first, rel=1e-4)

    # The traced test step gives the same value as the eager one.
    model.compile(metrics=[FrechetDistance(extractor)])
    traced = model.evaluate(dataset, verbose=0, return_dict=True)
    assert traced["frechet_distance"] == pytest.approx(expected, rel=1e-4)


def test_fit_reports_compiled_metrics_on_validation_data_only():
    real = _real_images(32)
    dataset = tf.data.Dataset.from_tensor_slices(real).batch(16)
    model = DCGAN(**tiny_config("dcgan"))
    model.compile(metrics=[FrechetDistance(_tiny_extractor(), name="fid")])
    history = model.fit(dataset, validation_data=dataset, epochs=2, verbose=0)
    assert sorted(history.history) == ["d_loss", "g_loss", "val_d_loss", "val_fid", "val_g_loss"]
    assert all(np.isfinite(history.history["val_fid"]))
    assert "fid" in model.metrics_names


def test_compiled_metrics_survive_keras_save_and_load(tmp_path):
    real = _real_images(32)
    dataset = tf.data.Dataset.from_tensor_slices(real).batch(16)
    model = DCGAN(**tiny_config("dcgan"))
    model.compile(metrics=[FrechetDistance(_tiny_extractor())])
    expected = model.evaluate(dataset, verbose=0, return_dict=True)
    model.save(tmp_path / "dcgan.keras")
    loaded = keras.saving.load_model(tmp_path / "dcgan.keras")
    assert [m.name for m in loaded.metrics][-1] == "frechet_distance"
    logs = loaded.evaluate(dataset, verbose=0, return_dict=True)  # the extractor's weights too
    assert logs["frechet_distance"] == pytest.approx(expected["frechet_distance"], rel=1e-5)

    high = _photos(2, 32)
    low = np.asarray(downscale(high, 4))
    pairs = tf.data.Dataset.from_tensor_slices((low, high)).batch(2)
    sr = SRGAN(**tiny_config("srgan"))
    sr.compile(metrics=[PSNR(), SSIM()])
    expected = sr.evaluate(pairs, verbose=0, return_dict=True)
    sr.save(tmp_path / "srgan.keras")
    loaded = keras.saving.load_model(tmp_path / "srgan.keras")
    assert len(loaded.get_compile_config()["metrics"]) == 2
    logs = loaded.evaluate(pairs, verbose=0, return_dict=True)
    for name in ("psnr", "ssim"):
        assert logs[name] == pytest.approx(expected[name], abs=1e-5)


def test_cyclegan_refuses_compiled_metrics():
    model = CycleGAN(**tiny_config("cyclegan"))
    with pytest.raises(ValueError, match="no reference output"):
        model.compile(metrics=[PSNR()])


def test_a_compiled_metric_cannot_take_a_loss_name():
    model = SRGAN(**tiny_config("srgan"))
    with pytest.raises(ValueError, match=r"losses \['l1'\]"):
        model.compile(metrics=[PSNR(name="l1")])
