"""The colorizer's regression options, VGG16 generator, colour gain and its calibration."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models.colorization import Colorizer
from keras_gan.models.colorization.colorizer_gan import grayscale_rgb, rgb_psnr
from keras_gan.models.colorization.colorizer_gan_test import _dataset, _photos
from keras_gan.models.colorization.colorizer_run import calibration_files, psnr_by_gain
from keras_gan.models.colorization.vgg_ab_generator import build_vgg_ab_generator
from keras_gan.perceptual.weights import find_vgg_weights, load_vgg_arrays

TINY = dict(generator_type="unet_128", filters=2, discriminator_filters=2, image_size=128)


def _has_vgg() -> bool:
    try:
        find_vgg_weights("vgg16")
    except Exception:
        return False
    return True


def test_regression_without_gan_leaves_the_discriminator_alone():
    model = Colorizer(reconstruction="l2", gan_weight=0.0, **TINY)
    model.compile()
    before = [w.numpy().copy() for w in model.discriminator.weights]
    g_before = [w.numpy().copy() for w in model.ab_generator.trainable_weights]
    logs = model.fit(_dataset(_photos()), epochs=1, verbose=0).history
    assert {"l2", "g_gan", "d_loss"} <= set(logs) and logs["g_gan"] == [0.0]
    assert all(
        np.array_equal(a, b.numpy())
        for a, b in zip(before, model.discriminator.weights, strict=True)
    )
    moved = [
        not np.array_equal(a, b.numpy())
        for a, b in zip(g_before, model.ab_generator.trainable_weights, strict=True)
    ]
    assert all(moved)
    with pytest.raises(ValueError, match="reconstruction"):
        Colorizer(reconstruction="l3", **TINY)
    with pytest.raises(ValueError, match="desaturate_fraction"):
        Colorizer(desaturate_fraction=1.5, **TINY)


def test_gain_zero_is_the_gray_photo_and_survives_saving(tmp_path):
    model = Colorizer(**TINY)
    photos = _photos(2)
    model.ab_gain = 0.0
    np.testing.assert_allclose(model.colorize(photos), grayscale_rgb(photos), atol=2e-3)
    model.ab_gain = 0.4
    path = tmp_path / "c.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.ab_gain == pytest.approx(0.4)
    np.testing.assert_allclose(loaded.colorize(photos), model.colorize(photos), atol=1e-5)
    with pytest.raises(ValueError, match="ab_gain"):
        model.ab_gain = -1.0


def test_calibration_chooses_the_best_gain_and_never_loses_to_gray():
    model = Colorizer(**TINY)  # untrained: its colours are noise
    photos = list(_photos(4))
    report = model.calibrate_ab_gain(photos)
    means = {float(g): v for g, v in report["mean_psnr_by_gain"].items()}
    assert report["ab_gain"] == model.ab_gain
    assert means[report["ab_gain"]] == max(means.values())
    assert means[report["ab_gain"]] >= means[0.0]
    gray = float(np.mean(rgb_psnr(grayscale_rgb(np.stack(photos)), np.stack(photos))))
    assert means[0.0] == pytest.approx(gray, abs=0.05)
    table = psnr_by_gain(model, photos, gains=(model.ab_gain,))
    colour = np.stack(model.colorize(np.stack(photos)))
    direct = rgb_psnr(colour, np.stack(photos)).numpy()
    np.testing.assert_allclose(table[model.ab_gain], direct, atol=0.05)


def test_calibration_photos_are_held_back_evenly(tmp_path):
    from PIL import Image

    from keras_gan.data.image_files import readable_image_files

    for i in range(10):
        Image.fromarray(np.full((8, 8, 3), i * 20, np.uint8)).save(tmp_path / f"p{i}.png")
    files = readable_image_files(str(tmp_path), stacklevel=2)
    picked = calibration_files(files, 3)
    assert [p.rsplit("/", 1)[1] for p in picked] == ["p2.png", "p4.png", "p7.png"]
    assert calibration_files(files, 0) == []
    with pytest.raises(ValueError, match="leaves no photo"):
        calibration_files(files, 10)


def test_vgg_generator_trains_only_its_decoder():
    network = build_vgg_ab_generator(8, encoder_weights=None)
    frozen = [layer for layer in network.layers if layer.name.startswith("block")]
    assert frozen and not any(layer.trainable for layer in frozen if layer.weights)
    trainable = sum(int(np.prod(w.shape)) for w in network.trainable_weights)
    encoder = sum(layer.count_params() for layer in frozen)
    assert encoder == 1_735_488  # VGG16 conv1_1 .. conv3_3
    assert trainable == network.count_params() - encoder  # the decoder, nothing else
    out = network(tf.zeros((1, 24, 40, 1)))
    assert out.shape == (1, 24, 40, 2)
    with pytest.raises(ValueError, match="decoder_filters"):
        build_vgg_ab_generator(1, encoder_weights=None)


@pytest.mark.skipif(not _has_vgg(), reason="no local VGG16 weights (make weights)")
def test_vgg_colorizer_loads_imagenet_and_saves_them(tmp_path):
    model = Colorizer(generator_type="vgg16_half", filters=8, image_size=64, gan_weight=0.0)
    arrays = load_vgg_arrays("vgg16")
    conv = model.ab_generator.get_layer("block3_conv3")
    np.testing.assert_array_equal(conv.get_weights()[0], arrays["block3_conv3/kernel"])
    model.compile()
    model.fit(_dataset(_photos()[:, :64, :64]), epochs=1, verbose=0)
    np.testing.assert_array_equal(conv.get_weights()[0], arrays["block3_conv3/kernel"])
    model.save(tmp_path / "v.keras")
    loaded = keras.saving.load_model(tmp_path / "v.keras")
    assert loaded.size_multiple == 8
    photos = _photos(1)[:, :56, :48]
    np.testing.assert_allclose(loaded.colorize(photos), model.colorize(photos), atol=1e-5)
