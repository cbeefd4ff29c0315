"""QualityEvaluation writes FID/KID/PSNR/SSIM of held-out data into the epoch logs."""

import csv

import keras
import numpy as np
import pytest
import tensorflow as tf
from skimage import data as skimage_data

from keras_gan.callbacks.quality_evaluation import QualityEvaluation
from keras_gan.data.super_resolution import downscale
from keras_gan.metrics import frechet_distance_from_features, kernel_distance, psnr, ssim
from keras_gan.models.dcgan import DCGAN
from keras_gan.models.srgan import SRGAN
from keras_gan.testing.tiny_configs import tiny_config


def _tiny_extractor() -> keras.Model:
    """A fixed, fast feature network [N, 28, 28, 1] -> [N, 3]."""
    inputs = keras.Input((28, 28, 1))
    pooled = keras.layers.Flatten()(keras.layers.AveragePooling2D(7)(inputs))
    dense = keras.layers.Dense(3, kernel_initializer=keras.initializers.GlorotUniform(seed=1))
    return keras.Model(inputs, dense(pooled))


def _real_images(n=48):
    rng = np.random.default_rng(3)
    ramp = np.linspace(-1, 1, 28)[:, None]
    return np.tanh(rng.normal(size=(n, 28, 28, 1)) + ramp).astype("float32")


def _fit_dcgan(callbacks, epochs):
    real = _real_images(32)
    model = DCGAN(**tiny_config("dcgan"))
    model.compile()
    dataset = tf.data.Dataset.from_tensor_slices(real).batch(16)
    return model, model.fit(dataset, epochs=epochs, verbose=0, callbacks=callbacks)


def test_noise_model_logs_frechet_and_kid_of_samples_against_the_held_out_images(tmp_path):
    held_out = _real_images()
    extractor = _tiny_extractor()
    callback = QualityEvaluation(
        held_out, metrics=("frechet", "kid"), num_samples=40, feature_extractor=extractor
    )
    csv_path = tmp_path / "log.csv"
    model, history = _fit_dcgan([callback, keras.callbacks.CSVLogger(str(csv_path))], epochs=2)
    assert len(history.history["val_frechet"]) == len(history.history["val_kid"]) == 2
    real = extractor.predict(held_out, verbose=0)
    generated = extractor.predict(model.generate(40, seed=0), verbose=0)
    assert history.history["val_frechet"][-1] == pytest.approx(
        frechet_distance_from_features(real, generated), rel=1e-4
    )
    kid, _ = kernel_distance(real, generated, num_subsets=100, subset_size=40, seed=0)
    assert history.history["val_kid"][-1] == pytest.approx(kid, rel=1e-4, abs=1e-7)
    with open(csv_path) as file:
        rows = list(csv.DictReader(file))
    assert float(rows[-1]["val_frechet"]) == pytest.approx(history.history["val_frechet"][-1])


def test_every_n_epochs_is_respected():
    callback = QualityEvaluation(
        _real_images(), num_samples=20, feature_extractor=_tiny_extractor(), every_n_epochs=2
    )
    calls = []
    evaluate = callback.evaluate
    callback.evaluate = lambda: calls.append(1) or evaluate()
    _, history = _fit_dcgan([callback], epochs=3)
    assert len(calls) == 1 and len(history.history["val_frechet"]) == 1
    assert len(history.history["d_loss"]) == 3


def test_image_to_image_model_logs_psnr_and_ssim_of_its_outputs():
    photo = skimage_data.astronaut().astype("float32") / 127.5 - 1.0
    high = np.stack([photo[40 * i : 40 * i + 32, 100:132] for i in range(4)])
    low = np.asarray(downscale(high, 4))
    model = SRGAN(**tiny_config("srgan"))
    model.compile()
    held_out = tf.data.Dataset.from_tensor_slices((low[:3], high[:3])).batch(2)
    callback = QualityEvaluation(held_out, metrics=("psnr", "ssim"), prefix="test_")
    train = tf.data.Dataset.from_tensor_slices((low, high)).batch(2)
    history = model.fit(train, epochs=1, verbose=0, callbacks=[callback])
    outputs = model.upscale(low[:3])
    expected_psnr = np.mean([psnr(o, t) for o, t in zip(outputs, high[:3], strict=True)])
    expected_ssim = np.mean([ssim(o, t) for o, t in zip(outputs, high[:3], strict=True)])
    assert history.history["test_psnr"][0] == pytest.approx(expected_psnr, rel=1e-5)
    assert history.history["test_ssim"][0] == pytest.approx(expected_ssim, rel=1e-5)


def test_bad_metric_names_and_misfits_raise():
    with pytest.raises(ValueError, match="Valid metrics: frechet, kid, inception_score, psnr"):
        QualityEvaluation(_real_images(), metrics=("fidd",))
    with pytest.raises(ValueError, match="every_n_epochs must be >= 1"):
        QualityEvaluation(_real_images(), every_n_epochs=0)
    callback = QualityEvaluation(_real_images(), metrics=("psnr",))
    callback.set_model(DCGAN(**tiny_config("dcgan")))
    with pytest.raises(ValueError, match="generates from noise"):
        callback.evaluate()
