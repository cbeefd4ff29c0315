import json

import keras
import numpy as np
import pytest
import tensorflow as tf
from skimage.data import astronaut

from keras_gan.data.super_resolution import downscale
from keras_gan.losses.relativistic import relativistic_average_generator_loss
from keras_gan.models.esrgan import ESRGAN
from keras_gan.models.super_resolution.sr_model import EVALUATION_METRICS, GAN_PHASE_LOSSES
from keras_gan.perceptual.weights import MissingWeightsError
from keras_gan.testing.tiny_configs import tiny_config

TINY = tiny_config("esrgan")


def _pairs(n=4, size=32, scale=4):
    """`n` crops of a real photo [n, size, size, 3] in [-1, 1] and their downscaled copies."""
    photo = astronaut().astype("float32") / 127.5 - 1
    high = np.stack([photo[60 + 40 * i : 60 + 40 * i + size, 180 : 180 + size] for i in range(n)])
    return np.asarray(downscale(high, scale)), high


def _dataset(low, high, batch=2):
    return tf.data.Dataset.from_tensor_slices((low, high)).batch(batch)


def _weights(network):
    return [w.copy() for w in network.get_weights()]


def _moved(before, network):
    return any(not np.allclose(a, b) for a, b in zip(before, network.get_weights(), strict=True))


def test_defaults_are_the_papers():
    # The paper's network sizes are the esrgan_paper_x4 preset (built in `test_presets`);
    # here the other defaults, on small networks.
    networks = ("filters", "growth_channels", "num_blocks", "discriminator_filters")
    model = ESRGAN(**{k: TINY[k] for k in networks})
    assert (model.scale, model.phase, model.residual_scale) == (4, "psnr", 0.2)
    # ESRGAN's VGG-128 discriminator: 5 stride-2 stages, a dense layer of 100.
    assert (model.discriminator_stages, model.discriminator_dense_units) == (5, 100)
    assert (model.pixel_weight, model.perceptual_weight, model.adversarial_weight) == (
        1e-2,
        1.0,
        5e-3,
    )
    assert model.perceptual_before_activation
    assert (model.perceptual_layer, model.perceptual_weights) == ("block5_conv3", "imagenet")
    model.compile()  # psnr phase: Adam(2e-4, 0.9, 0.99)
    assert float(model.g_optimizer.learning_rate) == pytest.approx(2e-4)
    assert (model.g_optimizer.beta_1, model.g_optimizer.beta_2) == pytest.approx((0.9, 0.99))
    model.set_phase("gan")
    model.compile()  # gan phase: Adam(1e-4, 0.9, 0.99) for both networks
    for optimizer in (model.g_optimizer, model.d_optimizer):
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
        assert optimizer.beta_2 == pytest.approx(0.99)


def test_psnr_phase_learns():
    keras.utils.set_random_seed(0)
    model = ESRGAN(**TINY)
    model.compile(g_optimizer=keras.optimizers.Adam(5e-3, beta_1=0.9, beta_2=0.99))
    low, high = _pairs()
    before = model.evaluate(_dataset(low, high), verbose=0, return_dict=True)
    d_before = _weights(model.discriminator)
    history = model.fit(_dataset(low, high).repeat(), steps_per_epoch=30, epochs=1, verbose=0)
    assert sorted(history.history) == ["l1"]
    after = model.evaluate(_dataset(low, high), verbose=0, return_dict=True)
    assert after["l1"] < 0.5 * before["l1"], (before, after)
    assert after["psnr"] > before["psnr"] + 3
    assert not _moved(d_before, model.discriminator)


def test_gan_phase_uses_the_relativistic_losses_and_moves_both_networks():
    model = ESRGAN(phase="gan", **TINY)
    model.compile()
    low, high = _pairs()
    g_before, d_before = _weights(model.generator), _weights(model.discriminator)
    history = model.fit(
        _dataset(low, high), epochs=1, verbose=0, validation_data=_dataset(low, high)
    )
    logs = {k: v[-1] for k, v in history.history.items()}
    expected = list(GAN_PHASE_LOSSES) + [f"val_{m}" for m in EVALUATION_METRICS]
    assert sorted(logs) == sorted(expected)
    assert all(np.isfinite(v) for v in logs.values()), logs
    combined = logs["perceptual"] + 5e-3 * logs["g_adv"] + 1e-2 * logs["l1"]
    assert logs["g_loss"] == pytest.approx(combined, rel=1e-4)
    assert _moved(g_before, model.generator) and _moved(d_before, model.discriminator)
    # The generator's adversarial term is the relativistic one, on real and fake logits.
    fake = model.generator(low, training=True)
    real_logits = model.discriminator(high, training=True)
    fake_logits = model.discriminator(fake, training=True)
    expected_adv = relativistic_average_generator_loss(real_logits, fake_logits)
    _, terms = model._generator_loss(tf.constant(high), fake)
    assert float(terms["g_adv"]) == pytest.approx(float(expected_adv), rel=1e-4)


def test_perceptual_features_are_taken_before_the_relu():
    model = ESRGAN(phase="gan", **TINY)
    vgg = model.perceptual_network()
    assert vgg.before_activation and vgg.layer_names == ("block2_conv2",)
    assert float(tf.reduce_min(vgg(_pairs(n=1)[1])[0])) < 0  # negative values: no ReLU


def test_save_and_load_round_trip(tmp_path):
    model = ESRGAN(phase="gan", **TINY)
    model.compile()
    low, high = _pairs()
    model.fit(_dataset(low, high), epochs=1, verbose=0)
    model.save(tmp_path / "esrgan.keras")
    loaded = keras.saving.load_model(tmp_path / "esrgan.keras")
    assert isinstance(loaded, ESRGAN)
    as_json = lambda config: json.loads(json.dumps(config))  # noqa: E731 (tuples -> lists)
    assert as_json(loaded.get_config()) == as_json(model.get_config())
    assert loaded.phase == "gan" and loaded.growth_channels == 4
    np.testing.assert_array_equal(model.upscale(low), loaded.upscale(low))
    np.testing.assert_array_equal(model.generator.predict(low, verbose=0), loaded(low))


def test_gan_phase_without_the_vgg_weights_file_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_GAN_VGG16_WEIGHTS", str(tmp_path / "missing_vgg16.npz"))
    model = ESRGAN(phase="gan", **{**TINY, "perceptual_weights": "imagenet"})
    model.compile()
    low, high = _pairs(n=2)
    with pytest.raises(MissingWeightsError, match="missing_vgg16.npz"):
        model.fit(_dataset(low, high), epochs=1, verbose=0)


def test_presets_fit_in_ten_megabytes():
    for name, scale in (("esrgan_photos_x4", 4), ("esrgan_photos_x2", 2)):
        model = ESRGAN.from_preset(name)
        assert model.scale == scale
        assert model.generator.count_params() * 4 <= 10e6, name
        assert model.generator.compute_output_shape((1, 5, 6, 3)) == (1, 5 * scale, 6 * scale, 3)
    paper = ESRGAN.presets["esrgan_paper_x4"]["config"]
    assert (paper["filters"], paper["growth_channels"], paper["num_blocks"]) == (64, 32, 23)
    # Its generator's parameter count (16.9M) is checked in super_resolution/networks_test.py.


def test_bad_input_is_named():
    model = ESRGAN(scale=2, **TINY)
    model.compile()
    low, high = _pairs(n=2, scale=2)
    with pytest.raises(ValueError, match="scale=2 times the low_res images"):
        model.fit(_dataset(low, high[:, :30, :30]), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"high_res images must be \[N, H, W, 3\]"):
        model.fit(_dataset(low, high[..., :1]), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="phase must be 'psnr' or 'gan'"):
        ESRGAN(phase="pretrain", **TINY)
