import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models import CycleGAN
from keras_gan.testing.tiny_configs import tiny_config

TINY = tiny_config("cyclegan", pool_size=3)


def _domains(n=6, channels=(1, 1), seed=0):
    rng = np.random.default_rng(seed)
    a = np.tanh(rng.normal(size=(n, 32, 32, channels[0]))).astype("float32")
    b = np.tanh(rng.normal(size=(n, 32, 32, channels[1]))).astype("float32")
    return a, b


def _dataset(a, b, batch=2):
    return tf.data.Dataset.from_tensor_slices((a, b)).batch(batch)


def test_defaults_are_the_reference_cycle_gan_options():
    model = CycleGAN()
    assert model.generator is model.generator_ab
    assert model.generator_ab.count_params() == 11_378_179  # resnet_9blocks, instance norm
    assert model.discriminator_a.count_params() == 2_764_737  # basic, 3 channels
    assert (model.gan_mode, model.lambda_a, model.lambda_b, model.lambda_identity) == (
        "lsgan",
        10.0,
        10.0,
        0.5,
    )
    assert (model.pool_size, model.norm, model.dropout) == (50, "instance", False)
    assert model.pool_a.images.shape == (50, 256, 256, 3)


def test_fit_reports_every_term_and_moves_all_four_networks():
    model = CycleGAN(**TINY, channels_a=1, channels_b=1)
    model.compile()
    before = {n: [w.copy() for w in getattr(model, n).get_weights()] for n in _networks()}
    a, b = _domains()
    history = model.fit(_dataset(a, b), epochs=1, verbose=0, validation_data=_dataset(a, b))
    logs = {k: v[-1] for k, v in history.history.items()}
    names = model.loss_names()
    assert set(names) == {
        "d_loss",
        "g_loss",
        "d_a",
        "d_b",
        "g_gan_ab",
        "g_gan_ba",
        "cycle_a",
        "cycle_b",
        "identity_a",
        "identity_b",
    }
    assert sorted(logs) == sorted(names + [f"val_{n}" for n in names])
    assert all(np.isfinite(v) for v in logs.values())
    for name, weights in before.items():
        after = getattr(model, name).get_weights()
        assert any(not np.allclose(x, y) for x, y in zip(weights, after, strict=True)), name
    assert int(model.pool_a.count.numpy()) == 3  # 6 fakes went through a pool of 3


def test_generator_loss_is_the_weighted_sum_of_its_terms():
    model = CycleGAN(**TINY, channels_a=1, channels_b=1, lambda_a=3.0, lambda_b=7.0)
    a, b = _domains(2)
    total, terms, _, _ = model._generator_losses(tf.constant(a), tf.constant(b), False)
    expected = (
        terms["g_gan_ab"]
        + terms["g_gan_ba"]
        + 3.0 * terms["cycle_a"]
        + 7.0 * terms["cycle_b"]
        + 0.5 * (7.0 * terms["identity_b"] + 3.0 * terms["identity_a"])
    )
    assert float(total) == pytest.approx(float(expected), rel=1e-6)


def test_translates_both_ways_and_keeps_channels_per_domain():
    model = CycleGAN(**TINY, channels_a=1, channels_b=3, lambda_identity=0.0)
    assert "identity_a" not in model.loss_names()
    a, b = _domains(channels=(1, 3))
    model.compile()
    model.fit(_dataset(a, b), epochs=1, verbose=0)
    assert model.translate(a[:2]).shape == (2, 32, 32, 3)
    assert model.translate(b[:2], direction="BtoA").shape == (2, 32, 32, 1)
    # Fully convolutional at inference: any multiple of 4.
    assert model.translate(np.zeros((1, 48, 64, 1), "float32")).shape == (1, 48, 64, 3)


def test_learns_an_invertible_mapping_cycle_error_falls():
    keras.utils.set_random_seed(0)
    model = CycleGAN(**{**TINY, "filters": 8}, channels_a=1, channels_b=1)
    model.compile(
        g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    rng = np.random.default_rng(5)
    a = np.asarray(tf.image.resize(rng.uniform(-1, 1, (8, 8, 8, 1)), (32, 32)), "float32")
    b = -a[:, ::-1]
    data = _dataset(a, b)
    before = model.evaluate(data, verbose=0, return_dict=True)
    model.fit(data.repeat(), steps_per_epoch=80, epochs=1, verbose=0)
    after = model.evaluate(data, verbose=0, return_dict=True)
    assert after["cycle_a"] < 0.6 * before["cycle_a"], (before, after)
    assert after["cycle_b"] < 0.6 * before["cycle_b"], (before, after)


def test_save_and_load_round_trip_without_the_pools(tmp_path):
    model = CycleGAN(**TINY, channels_a=1, channels_b=1)
    model.compile()
    a, b = _domains()
    model.fit(_dataset(a, b), epochs=1, verbose=0)
    model.save(tmp_path / "cyclegan.keras")
    loaded = keras.saving.load_model(tmp_path / "cyclegan.keras")
    assert isinstance(loaded, CycleGAN)
    for direction, images in (("AtoB", a), ("BtoA", b)):
        np.testing.assert_allclose(
            model.translate(images, direction=direction),
            loaded.translate(images, direction=direction),
            atol=1e-6,
        )
    assert int(loaded.pool_a.count.numpy()) == 0  # pools start empty after loading
    assert int(loaded.d_optimizer.iterations) == 3
    loaded.fit(_dataset(a, b), epochs=1, verbose=0)  # and training continues


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="identity loss needs domains with the same channels"):
        CycleGAN(**TINY, channels_a=1, channels_b=3)
    with pytest.raises(ValueError, match="multiple of 4"):
        CycleGAN(**{**TINY, "image_size": 30, "load_size": 30})
    model = CycleGAN(**TINY, channels_a=1, channels_b=1)
    model.compile()
    a = np.zeros((4, 64, 64, 1), "float32")
    with pytest.raises(ValueError, match="images_a are 64x64.*32x32 crops"):
        model.fit(_dataset(a, a), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="direction='AB'"):
        model.translate(a[:1, :32, :32], direction="AB")


def _networks():
    return ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b")
