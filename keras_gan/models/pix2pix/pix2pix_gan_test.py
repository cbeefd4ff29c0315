import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models import Pix2Pix
from keras_gan.schedules import LinearDecay

TINY = dict(
    generator_type="unet_128",
    filters=4,
    discriminator_filters=4,
    image_size=128,
    load_size=128,
)


def _pairs(n=4, channels=(3, 3), seed=0):
    rng = np.random.default_rng(seed)
    a = np.tanh(rng.normal(size=(n, 128, 128, channels[0]))).astype("float32")
    b = np.tanh(rng.normal(size=(n, 128, 128, channels[1]))).astype("float32")
    return a, b


def _dataset(a, b, batch=2):
    return tf.data.Dataset.from_tensor_slices((a, b)).batch(batch)


def test_defaults_are_the_reference_pix2pix_options():
    model = Pix2Pix(image_size=256)
    assert model.generator.count_params() > 54e6  # unet_256
    assert model.discriminator.input_shape == (None, None, None, 6)  # (A, B) concatenated
    assert (model.gan_mode, model.l1_weight, model.norm, model.dropout) == (
        "vanilla",
        100.0,
        "batch",
        True,
    )
    assert (model.image_size, model.load_size, model.direction) == (256, 286, "AtoB")
    model.compile()
    assert model.g_optimizer.beta_1 == 0.5
    assert float(model.g_optimizer.learning_rate) == pytest.approx(2e-4)


@pytest.mark.parametrize("gan_mode", ["vanilla", "lsgan", "wgangp"])
def test_fit_reports_the_losses_and_moves_both_networks(gan_mode):
    model = Pix2Pix(gan_mode=gan_mode, **TINY)
    model.compile()
    g_before = [w.copy() for w in model.generator.get_weights()]
    d_before = [w.copy() for w in model.discriminator.get_weights()]
    a, b = _pairs()
    history = model.fit(_dataset(a, b), epochs=1, verbose=0, validation_data=_dataset(a, b))
    logs = {k: v[-1] for k, v in history.history.items()}
    names = ["d_loss", "g_loss", "g_gan", "l1"] + (["gp"] if gan_mode == "wgangp" else [])
    assert sorted(logs) == sorted(names + [f"val_{n}" for n in names])
    assert all(np.isfinite(v) for v in logs.values())
    assert logs["g_loss"] == pytest.approx(logs["g_gan"] + 100 * logs["l1"], rel=0.2)
    for before, after in ((g_before, model.generator), (d_before, model.discriminator)):
        assert any(not np.allclose(x, y) for x, y in zip(before, after.get_weights(), strict=True))


def test_direction_b_to_a_translates_b_into_a():
    model = Pix2Pix(direction="BtoA", input_channels=1, output_channels=3, **TINY)
    model.compile()
    a, b = _pairs(channels=(3, 1))  # B is the 1-channel source
    model.fit(_dataset(a, b), epochs=1, verbose=0)
    assert model.translate(b[:1]).shape == (1, 128, 128, 3)
    fresh = Pix2Pix(direction="BtoA", input_channels=1, output_channels=3, **TINY)
    fresh.compile()
    with pytest.raises(ValueError, match="images_b have 3 channels"):
        fresh.fit(_dataset(a, a), epochs=1, verbose=0)


def test_learns_a_simple_paired_mapping():
    # Target = the colour-inverted, channel-rotated source: L1 must fall well below
    # the untrained model's.
    keras.utils.set_random_seed(0)
    model = Pix2Pix(**{**TINY, "filters": 8}, norm="instance", dropout=False)
    model.compile(
        g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    rng = np.random.default_rng(3)
    blobs = tf.image.resize(rng.uniform(-1, 1, (8, 8, 8, 3)).astype("float32"), (128, 128))
    a = np.asarray(blobs)
    b = -a[..., ::-1]
    before = model.evaluate(_dataset(a, b), verbose=0, return_dict=True)["l1"]
    model.fit(_dataset(a, b).repeat(), steps_per_epoch=60, epochs=1, verbose=0)
    after = model.evaluate(_dataset(a, b), verbose=0, return_dict=True)["l1"]
    assert after < 0.5 * before, (before, after)


def test_save_and_load_round_trip_with_the_linear_schedule(tmp_path):
    model = Pix2Pix(gan_mode="lsgan", direction="BtoA", **TINY)
    schedule = LinearDecay(3e-4, n_epochs=1, n_epochs_decay=2, steps_per_epoch=2)
    model.compile(
        g_optimizer=keras.optimizers.Adam(schedule, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(schedule, beta_1=0.5),
    )
    a, b = _pairs()
    model.fit(_dataset(a, b), epochs=2, verbose=0)
    # The rate of the next step, the first of epoch 3: 3e-4 * (1 - 2 / 3).
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-4)
    model.save(tmp_path / "p2p.keras")
    loaded = keras.saving.load_model(tmp_path / "p2p.keras")
    assert isinstance(loaded, Pix2Pix)
    assert (loaded.gan_mode, loaded.direction, loaded.image_size) == ("lsgan", "BtoA", 128)
    np.testing.assert_allclose(model.translate(b[:2]), loaded.translate(b[:2]), atol=1e-6)
    assert int(loaded.g_optimizer.iterations) == 4
    assert isinstance(loaded.g_optimizer._learning_rate, LinearDecay)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="gan_mode 'wgan'"):
        Pix2Pix(gan_mode="wgan", **TINY)
    with pytest.raises(ValueError, match="direction='AB'"):
        Pix2Pix(direction="AB", **TINY)
    with pytest.raises(ValueError, match="multiple of 256"):
        Pix2Pix(image_size=128)
    model = Pix2Pix(**TINY)
    model.compile()
    a, _ = _pairs()
    with pytest.raises(ValueError, match=r"batches of \(images_a, images_b\)"):
        model.fit(tf.data.Dataset.from_tensor_slices(a).batch(2), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="channels"):
        model.translate(np.zeros((1, 128, 128, 1), "float32"))


def test_presets_build_and_unknown_presets_are_named():
    model = Pix2Pix.from_preset("pix2pix_photo_pairs_128")
    assert model.image_size == 128 and model.generator_type == "unet_128"
    with pytest.raises(ValueError, match="Unknown preset 'nope'"):
        Pix2Pix.from_preset("nope")
