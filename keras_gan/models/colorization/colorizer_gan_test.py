import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from skimage import color, data

from keras_gan.models.colorization import (
    Colorizer,
    grayscale_baseline_psnr,
    pad_to_multiple,
    rgb_psnr,
)

TINY = dict(generator_type="unet_128", filters=2, discriminator_filters=2, image_size=128)


def _photos(n=4):
    """128x128 crops of scikit-image's astronaut and coffee photos, RGB in [-1, 1]."""
    astronaut, coffee = data.astronaut() / 255.0, data.coffee() / 255.0
    crops = [astronaut[:256:2, 128:384:2], coffee[100:228, 200:328]]
    crops += [astronaut[256:384, 256:384], coffee[200:328, 350:478]]
    return (np.stack(crops[:n]) * 2 - 1).astype("float32")


def _gray(rgb):
    """Normalized L (L / 50 - 1) of RGB photos in [-1, 1], by scikit-image."""
    return (color.rgb2lab((rgb + 1) / 2)[..., :1] / 50 - 1).astype("float32")


def _dataset(images, batch=2):
    return tf.data.Dataset.from_tensor_slices(images).batch(batch)


def _linear_ab_network(weights, bias):
    """An ab network predicting ab / 110 = weights * L_normalized + bias per pixel."""
    inputs = keras.Input((None, None, 1))
    outputs = keras.layers.Conv2D(2, 1, name="ab")(inputs)
    network = keras.Model(inputs, outputs, name="ab_generator")
    network.get_layer("ab").set_weights(
        [np.array(weights, "float32").reshape(1, 1, 1, 2), np.array(bias, "float32")]
    )
    return network


def test_generator_composes_the_input_l_with_the_predicted_ab_in_the_graph():
    # With an ab network whose output is known, the generator's RGB must be
    # scikit-image's lab2rgb of (L = (g + 1) * 50, a, b).
    ab_network = _linear_ab_network([0.1, -0.2], [0.15, 0.05])
    model = Colorizer(ab_generator=ab_network, **TINY)
    gray = _gray(_photos(2))
    got = np.asarray(model.generator(gray))
    lightness = (gray[..., 0] + 1) * 50
    a = 110 * (0.1 * gray[..., 0] + 0.15)
    b = 110 * (-0.2 * gray[..., 0] + 0.05)
    expected = color.lab2rgb(np.stack([lightness, a, b], axis=-1)) * 2 - 1
    np.testing.assert_allclose(got, expected, atol=2e-4)


def test_generator_shapes_ranges_and_kept_lightness():
    model = Colorizer(**{**TINY, "filters": 4})
    assert model.size_multiple == 128
    assert model.generator.input_shape == (None, None, None, 1)
    assert model.generator.output_shape == (None, None, None, 3)
    gray = _gray(_photos(2))
    rgb = np.asarray(model.generator(gray))
    assert rgb.shape == (2, 128, 128, 3) and rgb.dtype == np.float32
    assert rgb.min() >= -1.0 and rgb.max() <= 1.0
    # Where the colour is in gamut (no channel clipped), L of the output is the input L.
    in_gamut = np.all(np.abs(rgb) < 0.999, axis=-1)
    assert in_gamut.mean() > 0.5
    lightness = color.rgb2lab((rgb + 1) / 2)[..., 0]
    assert np.abs(lightness - (gray[..., 0] + 1) * 50)[in_gamut].max() < 0.5
    # Fully convolutional over multiples of 128.
    assert model.generator(np.zeros((1, 256, 128, 1), "float32")).shape == (1, 256, 128, 3)
    # Weights are shared: the exported generator is the ab U-Net plus the conversion.
    # the Lab -> RGB tail adds no weight; the calibrated ab gain is one scalar
    assert model.generator.count_params() == model.ab_generator.count_params() + 1


@pytest.mark.parametrize("gan_mode, with_labels", [("vanilla", False), ("lsgan", True)])
def test_fit_reports_the_losses_and_moves_both_networks(gan_mode, with_labels):
    model = Colorizer(gan_mode=gan_mode, **TINY)
    model.compile()
    g_before = [w.copy() for w in model.generator.get_weights()]
    d_before = [w.copy() for w in model.discriminator.get_weights()]
    photos = _photos()
    train = (photos, np.zeros(len(photos), "int32")) if with_labels else photos
    history = model.fit(_dataset(train), epochs=1, verbose=0, validation_data=_dataset(train))
    logs = {k: v[-1] for k, v in history.history.items()}
    names = ["d_loss", "g_loss", "g_gan", "l1"]
    validation = [f"val_{n}" for n in names + ["psnr", "baseline_psnr"]]
    assert sorted(logs) == sorted(names + validation)
    assert all(np.isfinite(v) for v in logs.values())
    assert logs["g_loss"] == pytest.approx(logs["g_gan"] + 100 * logs["l1"], rel=0.2)
    for before, after in ((g_before, model.generator), (d_before, model.discriminator)):
        assert any(not np.allclose(x, y) for x, y in zip(before, after.get_weights(), strict=True))


def test_evaluate_psnr_is_the_generator_output_against_the_photos():
    model = Colorizer(**TINY)
    model.compile()
    photos = _photos()
    logs = model.evaluate(_dataset(photos), verbose=0, return_dict=True)
    per_batch = [
        np.mean(rgb_psnr(model.generator(_gray(photos[i : i + 2])), photos[i : i + 2]))
        for i in (0, 2)
    ]
    assert logs["psnr"] == pytest.approx(np.mean(per_batch), abs=0.02)
    assert logs["baseline_psnr"] == pytest.approx(np.mean(grayscale_baseline_psnr(photos)), 1e-5)


def test_psnr_helpers_against_hand_computations():
    photos = _photos(2)
    # A uniform shift of 0.1 in [-1, 1] is 0.05 on [0, 1]: MSE 0.0025, 26.02 dB.
    np.testing.assert_allclose(rgb_psnr(photos + 0.1, photos), [26.0206] * 2, atol=1e-3)
    assert float(rgb_psnr(photos, photos)[0]) == pytest.approx(100.0)
    # The baseline: the photo with a = b = 0, computed by scikit-image.
    unit = (photos + 1) / 2
    lab = color.rgb2lab(unit)
    lab[..., 1:] = 0
    gray = color.lab2rgb(lab)
    expected = -10 * np.log10(np.mean((gray - unit) ** 2, axis=(1, 2, 3)))
    np.testing.assert_allclose(grayscale_baseline_psnr(photos), expected, atol=2e-3)


def test_save_and_load_round_trip(tmp_path):
    model = Colorizer(gan_mode="lsgan", l1_weight=50.0, **TINY)
    model.compile()
    photos = _photos(2)
    model.fit(_dataset(photos), epochs=1, verbose=0)
    model.save(tmp_path / "colorizer.keras")
    loaded = keras.saving.load_model(tmp_path / "colorizer.keras")
    assert isinstance(loaded, Colorizer)
    assert (loaded.gan_mode, loaded.l1_weight, loaded.filters) == ("lsgan", 50.0, 2)
    np.testing.assert_array_equal(model.colorize(photos), loaded.colorize(photos))
    assert int(loaded.g_optimizer.iterations) == 1
    # The loaded exported generator still shares the trained U-Net's weights.
    loaded.ab_generator.get_layer("up0_conv").bias.assign(np.full(2, 0.3, "float32"))
    assert not np.allclose(model.colorize(photos), loaded.colorize(photos))
    clone = Colorizer.from_config(model.get_config())
    assert clone.get_config()["ab_generator"] == model.get_config()["ab_generator"]


def test_colorize_takes_any_size_gray_or_rgb():
    model = Colorizer(**TINY)
    photo = _photos(1)[0, :100, :120]
    gray = _gray(photo[None])[0]
    colour = model.colorize(gray)
    assert colour.shape == (100, 120, 3) and colour.dtype == np.float32
    np.testing.assert_allclose(model.colorize(photo[None])[0], colour, atol=1e-4)
    # The same as running the generator on the reflected, padded image and cropping.
    padded = np.pad(gray[None], [(0, 0), (0, 28), (0, 8), (0, 0)], mode="reflect")
    np.testing.assert_allclose(colour, model.generator(padded)[0, :100, :120], atol=1e-5)
    assert model.colorize(np.zeros((3, 130, 128, 1), "float32")).shape == (3, 130, 128, 3)
    # Sample sheet rows: gray input | colorized | original.
    photos = _photos(2)
    rows = model.sample_rows(photos, photos)
    assert rows.shape == (6, 128, 128, 3)
    np.testing.assert_allclose(rows[0], np.repeat(_gray(photos[:1])[0], 3, axis=-1), atol=1e-4)
    np.testing.assert_allclose(rows[1], model.colorize(photos[:1])[0], atol=1e-6)
    np.testing.assert_array_equal(rows[5], photos[1])


def test_pad_to_multiple():
    images = np.arange(2 * 5 * 3 * 1, dtype="float32").reshape(2, 5, 3, 1)
    padded, size = pad_to_multiple(images, 4)
    assert size == (5, 3) and padded.shape == (2, 8, 4, 1)
    expected = np.pad(images, [(0, 0), (0, 3), (0, 1), (0, 0)], mode="reflect")
    np.testing.assert_array_equal(padded, expected)
    assert pad_to_multiple(images, 1)[0] is images
    with pytest.raises(ValueError, match="multiple must be >= 1"):
        pad_to_multiple(images, 0)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="generator_type='resnet_9blocks'"):
        Colorizer(**{**TINY, "generator_type": "resnet_9blocks"})
    with pytest.raises(ValueError, match="gan_mode='wgangp'"):
        Colorizer(gan_mode="wgangp", **TINY)
    with pytest.raises(ValueError, match="multiple of 128"):
        Colorizer(**{**TINY, "image_size": 100})
    model = Colorizer(**TINY)
    model.compile()
    with pytest.raises(ValueError, match="3 channels"):
        model.fit(_dataset(_gray(_photos(2))), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="rank 4"):
        model.fit(_dataset(_photos(2)[:, 0]), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="colorize expects"):
        model.colorize(np.zeros((1, 8, 8, 2), "float32"))


def test_presets_fit_their_budgets():
    model = Colorizer.from_preset("colorizer_photos_128")
    assert model.size_multiple == 128 and model.image_size == 128
    assert model.ab_generator.count_params() == 1_473_842  # 5.9 MB in float32
    assert (model.norm, model.dropout, model.gan_mode) == ("batch", True, "vanilla")
    paper = Colorizer.presets["colorizer_paper_256"]["config"]
    assert paper == {"generator_type": "unet_256", "filters": 64, "image_size": 256}
    with pytest.raises(ValueError, match="Unknown preset 'nope'"):
        Colorizer.from_preset("nope")


def _interpreter(content):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        Interpreter = tf.lite.Interpreter
    return Interpreter(model_content=content)


def test_generator_converts_to_tflite_with_builtin_ops_only():
    model = Colorizer(**TINY)
    generator = model.generator
    function = tf.function(lambda x: generator(x, training=False)).get_concrete_function(
        tf.TensorSpec([1, None, None, 1], tf.float32)
    )
    # No `trackable_obj`: with it TF 2.21 keeps the weights as TFLite variables that
    # the interpreter leaves uninitialized (NaN outputs); without it they are frozen.
    converter = tf.lite.TFLiteConverter.from_concrete_functions([function])
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        content = converter.convert()
    interpreter = _interpreter(content)
    index = interpreter.get_input_details()[0]["index"]
    interpreter.resize_tensor_input(index, [1, 128, 256, 1])
    interpreter.allocate_tensors()
    gray = np.concatenate([_gray(_photos(2))[0], _gray(_photos(2))[1]], axis=1)[None]
    interpreter.set_tensor(index, gray)
    interpreter.invoke()
    got = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_allclose(got, generator(gray, training=False), atol=1e-4)
