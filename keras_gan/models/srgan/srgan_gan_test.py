import keras
import numpy as np
import pytest
import tensorflow as tf
from skimage.data import astronaut

from keras_gan.data.super_resolution import downscale
from keras_gan.models.srgan import SRGAN
from keras_gan.models.super_resolution.sr_model import EVALUATION_METRICS, GAN_PHASE_LOSSES
from keras_gan.perceptual.weights import MissingWeightsError
from keras_gan.testing.tiny_configs import tiny_config

TINY = tiny_config("srgan")


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
    model = SRGAN()
    assert model.generator.count_params() == 1_554_883  # SRResNet: 64 filters, 16 blocks
    assert (model.scale, model.phase, model.pixel_weight, model.adversarial_weight) == (
        4,
        "psnr",
        0.0,
        1e-3,
    )
    assert model.perceptual_weight == pytest.approx(1 / 12.75**2)
    assert (model.perceptual_architecture, model.perceptual_layer) == ("vgg16", "block5_conv3")
    assert model.perceptual_weights == "imagenet" and model.size_multiple == 1
    model.compile()
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-4)
    assert model.g_optimizer.beta_1 == pytest.approx(0.9)
    assert model.generator.output_shape == (None, None, None, 3)


def test_psnr_phase_learns_and_trains_the_generator_alone():
    keras.utils.set_random_seed(0)
    model = SRGAN(**TINY)
    model.compile(g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.9))
    low, high = _pairs()
    before = model.evaluate(_dataset(low, high), verbose=0, return_dict=True)
    d_before = _weights(model.discriminator)
    history = model.fit(_dataset(low, high).repeat(), steps_per_epoch=25, epochs=1, verbose=0)
    assert sorted(history.history) == ["l1"]
    after = model.evaluate(_dataset(low, high), verbose=0, return_dict=True)
    assert sorted(after) == sorted(EVALUATION_METRICS)
    assert after["l1"] < 0.6 * before["l1"], (before, after)
    assert after["psnr"] > before["psnr"] + 3
    assert not _moved(d_before, model.discriminator)
    assert model._perceptual.network is None  # no VGG in the psnr phase


def test_gan_phase_after_a_psnr_fit_moves_both_networks():
    model = SRGAN(**TINY)
    model.compile()
    low, high = _pairs()
    model.fit(_dataset(low, high), epochs=1, verbose=0)
    model.set_phase("gan")
    g_before, d_before = _weights(model.generator), _weights(model.discriminator)
    history = model.fit(
        _dataset(low, high), epochs=1, verbose=0, validation_data=_dataset(low, high)
    )
    logs = {k: v[-1] for k, v in history.history.items()}
    expected = list(GAN_PHASE_LOSSES) + [f"val_{m}" for m in EVALUATION_METRICS]
    assert sorted(logs) == sorted(expected)
    assert all(np.isfinite(v) for v in logs.values()), logs
    assert logs["perceptual"] > 0
    # Running means of a sum are sums of running means; the paper adds no pixel loss.
    combined = model.perceptual_weight * logs["perceptual"] + 1e-3 * logs["g_adv"]
    assert logs["g_loss"] == pytest.approx(combined, rel=1e-4)
    assert _moved(g_before, model.generator) and _moved(d_before, model.discriminator)
    # Back to the psnr phase: the next fit reports the psnr phase's loss only.
    model.set_phase("psnr")
    assert sorted(model.fit(_dataset(low, high), epochs=1, verbose=0).history) == ["l1"]
    with pytest.raises(ValueError, match="phase must be 'psnr' or 'gan'. Received: phase='GAN'"):
        model.set_phase("GAN")


def test_content_loss_is_the_mse_of_vgg_features_after_the_relu():
    model = SRGAN(phase="gan", **TINY)
    low, high = _pairs(n=2)
    fake = model.generator(low, training=True)
    _, terms = model._generator_loss(tf.constant(high), fake)
    vgg = model.perceptual_network()
    fake_features, real_features = np.asarray(vgg(fake)[0]), np.asarray(vgg(high)[0])
    assert not vgg.before_activation and fake_features.min() >= 0
    expected = np.mean((fake_features - real_features) ** 2)
    assert float(terms["perceptual"]) == pytest.approx(expected, rel=1e-5)
    assert float(terms["l1"]) == pytest.approx(np.mean(np.abs(high - np.asarray(fake))), rel=1e-5)


def test_save_and_load_round_trip_without_the_vgg(tmp_path):
    model = SRGAN(phase="gan", **TINY)
    model.compile()
    low, high = _pairs()
    model.fit(_dataset(low, high), epochs=1, verbose=0)
    assert model._perceptual.network is not None
    assert len(model.weights) == len(model.generator.weights) + len(model.discriminator.weights)
    model.save(tmp_path / "srgan.keras")
    loaded = keras.saving.load_model(tmp_path / "srgan.keras")
    assert isinstance(loaded, SRGAN)
    assert loaded.get_config()["phase"] == "gan" and loaded._perceptual.network is None
    np.testing.assert_array_equal(model.upscale(low), loaded.upscale(low))
    assert int(loaded.g_optimizer.iterations) == int(model.g_optimizer.iterations) == 2
    loaded.fit(_dataset(low, high), epochs=1, verbose=0)  # builds its VGG again
    clone = SRGAN.from_config(model.get_config())
    assert clone.get_config() == model.get_config()


def test_a_global_skip_generator_saves_and_loads(tmp_path):
    model = SRGAN(global_skip="bilinear", **TINY)
    low, _ = _pairs()
    untrained = model.upscale(low)
    np.testing.assert_allclose(untrained, tf.image.resize(low, untrained.shape[1:3]), atol=1e-6)
    model.save(tmp_path / "skip.keras")
    loaded = keras.saving.load_model(tmp_path / "skip.keras")
    assert loaded.global_skip == "bilinear"
    np.testing.assert_array_equal(loaded.upscale(low), untrained)


def test_gan_phase_without_the_vgg_weights_file_names_it(tmp_path, monkeypatch):
    missing = tmp_path / "missing_vgg16.npz"
    monkeypatch.setenv("KERAS_GAN_VGG16_WEIGHTS", str(missing))
    model = SRGAN(**{**TINY, "perceptual_weights": "imagenet"})
    model.compile()
    low, high = _pairs(n=2)
    model.fit(_dataset(low, high), epochs=1, verbose=0)  # the psnr phase needs no VGG
    assert model.upscale(low[0]).shape == (32, 32, 3)
    model.set_phase("gan")
    with pytest.raises(MissingWeightsError, match="missing_vgg16.npz"):
        model.fit(_dataset(low, high), epochs=1, verbose=0)


def test_upscale_and_sample_rows():
    model = SRGAN(scale=2, **TINY)
    low = np.random.default_rng(0).uniform(-1, 1, (3, 5, 7, 3)).astype("float32")
    out = model.upscale(low, batch_size=2)
    assert out.shape == (3, 10, 14, 3) and out.dtype == np.float32
    assert np.abs(out).max() <= 1
    np.testing.assert_allclose(model.upscale(low[1]), out[1], atol=1e-6)
    rows = model.sample_rows(low[:2], np.zeros((2, 10, 14, 3), "float32"))
    assert rows.shape == (6, 10, 14, 3)  # bicubic | model | target per example
    np.testing.assert_allclose(rows[1], out[0], atol=1e-6)


def test_bad_input_is_named():
    model = SRGAN(**TINY)
    model.compile()
    low, high = _pairs(n=2)
    with pytest.raises(ValueError, match=r"batches of \(low_res, high_res\) image pairs"):
        model.fit(tf.data.Dataset.from_tensor_slices(high).batch(2), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="scale=4 times the low_res images"):
        model.fit(_dataset(low, high[:, :24, :24]), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"low_res images must be \[N, H, W, 3\]"):
        model.fit(_dataset(low[..., :1], high), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"images must be \[N, H, W, 3\] or \[H, W, 3\]"):
        model.upscale(np.zeros((8, 8), "float32"))
    with pytest.raises(ValueError, match="perceptual_layer must be a vgg16 convolution"):
        SRGAN(**{**TINY, "perceptual_layer": "block5_conv4"})
    with pytest.raises(ValueError, match="adversarial_weight must be >= 0"):
        SRGAN(adversarial_weight=-1.0, **TINY)
    with pytest.raises(ValueError, match="scale must be 2, 3, 4 or 8"):
        SRGAN(scale=5, **TINY)
    with pytest.raises(ValueError, match=r"not to \(1, 32, 32, 3\) as scale=4 needs"):
        SRGAN(generator=SRGAN(scale=2, **TINY).generator, **TINY)


def test_presets():
    small = SRGAN.from_preset("srgan_photos_x4", perceptual_weights=None)
    assert (small.scale, small.filters, small.num_blocks) == (4, 32, 8)
    assert (small.batch_norm, small.global_skip, small.activation) == (
        False,
        "bilinear",
        "leaky_relu",
    )
    # 249,315 with batch norm and PReLU: 8 blocks x 2 norms x 4 x 32, the trunk's norm
    # (128) and 11 PReLU slopes x 32 fewer.
    assert small.generator.count_params() == 249_315 - 8 * 2 * 4 * 32 - 4 * 32 - 11 * 32
    paper = SRGAN.from_preset("srresnet_paper_x4")
    assert paper.generator.count_params() == 1_554_883
    with pytest.raises(ValueError, match="Unknown preset 'nope'"):
        SRGAN.from_preset("nope")


def test_an_uncompiled_model_saves_and_loads_uncompiled(tmp_path):
    model = SRGAN(**TINY)
    model.save(tmp_path / "fresh.keras")
    loaded = keras.saving.load_model(tmp_path / "fresh.keras")
    assert not loaded.compiled
    low, _ = _pairs(n=1)
    np.testing.assert_array_equal(loaded.upscale(low), model.upscale(low))
