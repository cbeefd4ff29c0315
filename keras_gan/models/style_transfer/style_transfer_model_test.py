import gzip
import json
import warnings
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models.style_transfer import StyleTransfer, build_transform_network
from keras_gan.models.style_transfer.style_images import load_style_image
from keras_gan.perceptual.weights import MissingWeightsError

skimage_data = pytest.importorskip("skimage.data")

TINY = dict(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32)
LOSS_KEYS = ["content", "loss", "style", "tv"]


def _as_json(config: dict) -> dict:
    return json.loads(json.dumps(config))


def _to_unit(pixels: np.ndarray) -> np.ndarray:
    return pixels.astype("float32") / 127.5 - 1.0


@pytest.fixture(scope="module")
def photos():
    """Four real photos [4, 32, 32, 3] in [-1, 1]."""
    pictures = [skimage_data.chelsea(), skimage_data.astronaut(), skimage_data.rocket()]
    pictures.append(skimage_data.immunohistochemistry())
    return np.stack([tf.image.resize(_to_unit(p), (32, 32), antialias=True) for p in pictures])


@pytest.fixture(scope="module")
def style_image():
    """The Starry Night when opencv-doc is installed, else scikit-image's coffee photo."""
    starry_night = StyleTransfer.presets["style_transfer_starry_night_256"]["style_images"][0]
    found = [Path(p) for p in starry_night["paths"] if Path(p).is_file()]
    return load_style_image(found[0]) if found else _to_unit(skimage_data.coffee())


def _styled(style_image, **kwargs):
    keras.utils.set_random_seed(0)
    model = StyleTransfer(**{**TINY, **kwargs})
    model.set_style_images([style_image] * model.num_styles)
    return model


def _johnson_parameter_count(filters, blocks, num_styles=1, per_channel=2):
    """Convolution kernels (no bias but the last) plus, per norm layer, `per_channel` x
    channels x styles (scale and offset; batch norm adds its moving mean and variance)."""
    f = filters
    kernels = 9 * 9 * 3 * f + 9 * f * 2 * f + 9 * 2 * f * 4 * f  # stem, down0, down1
    kernels += blocks * 2 * 9 * (4 * f) ** 2 + 9 * 4 * f * 2 * f + 9 * 2 * f * f  # blocks, up
    kernels += 9 * 9 * f * 3 + 3  # head with bias
    norm_channels = f + 2 * f + 4 * f + blocks * 2 * 4 * f + 2 * f + f
    return kernels + per_channel * num_styles * norm_channels


def _tflite(network, specs):
    function = tf.function(lambda *args: network(list(args) if len(args) > 1 else args[0]))
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [function.get_concrete_function(*specs)]
    )
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    return converter.convert()


def _run_tflite(flatbuffer, inputs):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        Interpreter = tf.lite.Interpreter  # deprecated, still shipped with TensorFlow 2.21
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        interpreter = Interpreter(model_content=flatbuffer)
    details = sorted(interpreter.get_input_details(), key=lambda d: d["name"])  # "args_0", ...
    for detail, value in zip(details, inputs, strict=True):
        interpreter.resize_tensor_input(detail["index"], value.shape)
    interpreter.allocate_tensors()
    for detail, value in zip(details, inputs, strict=True):
        interpreter.set_tensor(detail["index"], value)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


def _op_names(flatbuffer) -> set:
    """The builtin ops of a TFLite model (delegate nodes left out)."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        Interpreter = tf.lite.Interpreter
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        interpreter = Interpreter(model_content=flatbuffer)
    return {op["op_name"] for op in interpreter._get_ops_details()} - {"DELEGATE"}


def _int8_tflite(network, calibration):
    function = tf.function(lambda images: network(images))
    spec = tf.TensorSpec([1, *calibration.shape[1:]])
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [function.get_concrete_function(spec)]
    )
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ([image[None]] for image in calibration)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    with warnings.catch_warnings():  # "statistics for quantized inputs": the inputs stay float
        warnings.simplefilter("ignore")
        return converter.convert()


def _randomize_norms(network, seed=0):
    rng = np.random.default_rng(seed)
    for layer in network.layers:
        if layer.name.endswith("_norm"):
            layer.set_weights(
                [rng.normal(1.0, 0.5, w.shape).astype("float32") for w in layer.weights]
            )


# ------------------------------------------------------------------ networks
def test_transform_network_keeps_any_multiple_of_4_size_and_counts_johnsons_parameters():
    network = build_transform_network(filters=4, num_residual_blocks=1)
    assert network.input_shape == (None, None, None, 3)
    for shape in ((2, 32, 32, 3), (1, 24, 40, 3)):
        out = np.asarray(network(np.random.default_rng(0).uniform(-1, 1, shape)))
        assert out.shape == shape and np.abs(out).max() <= 1.0
    assert network.count_params() == _johnson_parameter_count(4, 1)
    assert build_transform_network().count_params() == _johnson_parameter_count(32, 5) == 1677635
    multi = build_transform_network(filters=4, num_residual_blocks=2, num_styles=3)
    assert multi.count_params() == _johnson_parameter_count(4, 2, num_styles=3)


def test_conditional_network_renders_each_style_differently_and_mixes_them():
    network = build_transform_network(filters=4, num_residual_blocks=1, num_styles=3)
    _randomize_norms(network)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 32, 32, 3)).astype("float32")
    outs = [np.asarray(network([x, np.array([s], "int32")])) for s in range(3)]
    assert min(np.abs(outs[a] - outs[b]).max() for a, b in ((0, 1), (1, 2), (0, 2))) > 1e-3
    mixing = build_transform_network(4, 1, num_styles=3, style_input="weights")
    mixing.set_weights(network.get_weights())
    np.testing.assert_allclose(mixing([x, np.array([[0, 1, 0]], "float32")]), outs[1], atol=1e-5)


def test_transform_networks_convert_to_tflite_builtins_with_keras_numerics():
    x = np.random.default_rng(2).uniform(-1, 1, (2, 36, 28, 3)).astype("float32")
    single = build_transform_network(filters=4, num_residual_blocks=1)
    _randomize_norms(single)
    flatbuffer = _tflite(single, [tf.TensorSpec([None, None, None, 3])])
    np.testing.assert_allclose(_run_tflite(flatbuffer, [x]), single(x), atol=1e-4)
    multi = build_transform_network(filters=4, num_residual_blocks=1, num_styles=3)
    _randomize_norms(multi)
    styles = np.array([2, 0], "int32")
    specs = [tf.TensorSpec([None, None, None, 3]), tf.TensorSpec([None], tf.int32)]
    flatbuffer = _tflite(multi, specs)
    np.testing.assert_allclose(_run_tflite(flatbuffer, [x, styles]), multi([x, styles]), atol=1e-4)


def test_batch_norm_network_folds_into_its_convolutions_and_quantizes_to_plain_int8(photos):
    network = build_transform_network(filters=4, num_residual_blocks=1, normalization="batch")
    assert network.count_params() == _johnson_parameter_count(4, 1, per_channel=4)
    assert all(
        isinstance(layer, keras.layers.BatchNormalization)
        for layer in network.layers
        if layer.name.endswith("_norm")
    )
    rng = np.random.default_rng(3)
    for layer in network.layers:
        if layer.name.endswith("_norm"):  # scale, offset, moving mean, moving variance
            shape = layer.weights[0].shape
            layer.set_weights(
                [
                    rng.normal(1.0, 0.3, shape),
                    rng.normal(0.0, 0.3, shape),
                    rng.normal(0.0, 0.3, shape),
                    rng.uniform(0.5, 2.0, shape),
                ]
            )
    # Inference uses the moving statistics: outputs do not depend on the batch.
    np.testing.assert_allclose(network(photos[:1]), network(photos)[:1], atol=1e-5)
    # Fixed sides, as exports have: dynamic ones add the resizes' SHAPE arithmetic.
    flatbuffer = _tflite(network, [tf.TensorSpec([None, 32, 32, 3])])
    np.testing.assert_allclose(_run_tflite(flatbuffer, [photos]), network(photos), atol=1e-4)
    plain = {"CONV_2D", "STRIDED_SLICE", "CONCATENATION", "ADD", "RESIZE_NEAREST_NEIGHBOR", "TANH"}
    assert _op_names(flatbuffer) == plain  # no MUL / ADD left of the norms: folded
    int8 = _op_names(_int8_tflite(network, photos))
    assert int8 == plain | {"QUANTIZE", "DEQUANTIZE"}, int8
    # Instance norm's per-image statistics stay in the int8 graph.
    instance = build_transform_network(filters=4, num_residual_blocks=1)
    assert {"MEAN", "RSQRT"} <= _op_names(_int8_tflite(instance, photos))


def test_batch_norm_model_trains_saves_and_reloads_identically(tmp_path, photos, style_image):
    model = _styled(style_image, normalization="batch")
    assert model.get_config()["normalization"] == "batch"
    moving_mean = model.generator.get_layer("stem_norm").moving_mean
    before = moving_mean.numpy().copy()
    model.compile()
    history = model.fit(photos[:2], batch_size=2, epochs=1, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert np.abs(moving_mean.numpy() - before).max() > 0  # the statistics moved
    model.save(tmp_path / "style.keras")
    loaded = keras.saving.load_model(tmp_path / "style.keras")
    assert loaded.normalization == "batch"
    assert _as_json(loaded.get_config()) == _as_json(model.get_config())
    np.testing.assert_array_equal(loaded.stylize(photos), model.stylize(photos))
    # stylize renders with the moving statistics, whatever the batch.
    np.testing.assert_allclose(model.stylize(photos[:1]), model.stylize(photos)[:1], atol=1e-5)


# -------------------------------------------------------------------- model
def test_style_targets_are_the_grams_of_the_resized_style_image(style_image):
    model = _styled(style_image, style_size=24)
    assert model.has_style_targets
    short = min(style_image.shape[:2])
    size = [round(side * 24 / short) for side in style_image.shape[:2]]
    resized = tf.image.resize(style_image[None], size, method="area", antialias=True)
    features = dict(zip(model._feature_layers, model.perceptual_network()(resized), strict=True))
    for name, variable in zip(model.style_layers, model.style_grams, strict=True):
        f = np.asarray(features[name], "float64")[0]
        expected = np.einsum("hwc,hwd->cd", f, f) / f.size
        np.testing.assert_allclose(variable.numpy()[0], expected, rtol=1e-4, atol=1e-6)
    assert [v.shape for v in model.style_grams] == [
        (1, 64, 64),
        (1, 128, 128),
        (1, 256, 256),
        (1, 512, 512),
    ]
    assert not model.style_grams[0].trainable
    assert len(model.trainable_variables) == len(model.generator.trainable_variables)


def test_fit_lowers_the_perceptual_loss_on_real_photos(photos, style_image):
    model = _styled(style_image)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    before = model.evaluate(photos, batch_size=2, verbose=0, return_dict=True)
    assert sorted(before) == LOSS_KEYS
    history = model.fit(photos[:2], batch_size=2, epochs=15, verbose=0)
    assert sorted(history.history) == LOSS_KEYS
    after = model.evaluate(photos, batch_size=2, verbose=0, return_dict=True)
    assert after["loss"] == pytest.approx(after["content"] + after["style"] + after["tv"], rel=1e-5)
    assert after["loss"] < 0.5 * before["loss"], (before, after)
    # The same batch gives the same losses: the evaluation is deterministic.
    assert model.evaluate(photos, batch_size=2, verbose=0, return_dict=True) == after


def test_defaults_are_johnsons_network_and_optimizer():
    model = StyleTransfer(perceptual_weights=None)
    assert model.generator.count_params() == 1677635 and model.size_multiple == 4
    assert model.style_layers == ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3")
    assert (model.content_layer, model.content_weight, model.style_weight) == (
        "block2_conv2",
        1,
        1e5,
    )
    model.compile()
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)


def test_multi_style_fit_learns_distinct_styles_and_takes_given_indices(photos, style_image):
    styles = [style_image, _to_unit(skimage_data.astronaut())]
    keras.utils.set_random_seed(0)
    model = StyleTransfer(**TINY, num_styles=2)
    model.set_style_images(styles)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    model.fit(photos, batch_size=2, epochs=2, verbose=0)  # random styles per photo
    logs = {}
    for style in (0, 1):  # batches (photos, style indices): the indices pick the styles
        indexed = tf.data.Dataset.from_tensor_slices((photos, np.full(4, style, "int32")))
        logs[style] = model.evaluate(indexed.batch(2), verbose=0, return_dict=True)
        assert sorted(logs[style]) == LOSS_KEYS
    # Ignored indices would give both runs the same drawn styles, hence the same losses.
    assert abs(logs[0]["style"] - logs[1]["style"]) > 1e-3 * logs[0]["style"]
    first, second = model.stylize(photos[:1], style=0), model.stylize(photos[:1], style=1)
    assert np.abs(first - second).max() > 1e-3
    np.testing.assert_allclose(model.stylize(photos[:1], style=[0.0, 1.0]), second, atol=1e-5)
    halfway = model.stylize(photos[:1], style=[0.5, 0.5])
    assert 0 < np.abs(halfway - first).max() < np.abs(second - first).max() * 1.5


def test_saved_model_keeps_the_style_targets_and_renders_identically(tmp_path, photos, style_image):
    model = _styled(style_image, num_styles=2)
    model.compile()
    model.fit(photos[:2], batch_size=2, epochs=1, verbose=0)
    model.save(tmp_path / "style.keras")
    loaded = keras.saving.load_model(tmp_path / "style.keras")
    assert isinstance(loaded, StyleTransfer) and loaded.has_style_targets
    assert _as_json(loaded.get_config()) == _as_json(model.get_config())
    for saved, restored in zip(model.style_grams, loaded.style_grams, strict=True):
        np.testing.assert_array_equal(saved.numpy(), restored.numpy())
    np.testing.assert_array_equal(loaded.stylize(photos, style=1), model.stylize(photos, style=1))
    assert int(loaded.optimizer.iterations) == 1
    assert "_perceptual_network" not in loaded.__dict__  # no VGG until a loss needs it
    assert StyleTransfer.from_preset(str(tmp_path / "style.keras")).num_styles == 2


def test_stylize_takes_any_size_and_single_images(photos, style_image):
    model = _styled(style_image)
    odd = photos[:2, :30, :27]
    out = model.stylize(odd)
    assert out.shape == odd.shape and out.dtype == np.float32 and np.abs(out).max() <= 1
    assert model.stylize(photos[0, :5, :6]).shape == (5, 6, 3)
    np.testing.assert_allclose(model.stylize(photos), model.generator(photos), atol=1e-5)


# ------------------------------------------------------------------- errors
def test_training_needs_style_targets_and_rgb_multiple_of_4_photos(photos, style_image):
    model = StyleTransfer(**TINY)
    model.compile()
    with pytest.raises(ValueError, match=r"no style targets: call set_style_images"):
        model.fit(photos, batch_size=2, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="num_styles=1; set_style_images needs that many"):
        model.set_style_images([style_image, style_image])
    with pytest.raises(ValueError, match=r"RGB \[N, H, W, 3\]"):
        model.set_style_images([style_image[..., :1]])
    with pytest.raises(ValueError, match=r"in \[-1, 1\]"):
        model.set_style_images([(style_image + 1) * 127.5])
    model.set_style_images(style_image)
    with pytest.raises(ValueError, match="RGB photos"):
        model.fit(photos[..., :1], batch_size=2, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="multiples of 4"):
        model.fit(photos[:, :30], batch_size=2, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="one style"):
        model.stylize(photos, style=1)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="content_layer must name VGG16"):
        StyleTransfer(content_layer="relu2_2", perceptual_weights=None)
    with pytest.raises(ValueError, match="image_size must be a multiple of 4"):
        StyleTransfer(image_size=30, perceptual_weights=None)
    with pytest.raises(ValueError, match="style_weight must be >= 0"):
        StyleTransfer(style_weight=-1, perceptual_weights=None)
    with pytest.raises(ValueError, match=r"normalization must be one of .*'layer'"):
        StyleTransfer(normalization="layer", perceptual_weights=None)
    with pytest.raises(ValueError, match=r"normalization must be one of .*'layer'"):
        build_transform_network(4, 1, normalization="layer")
    with pytest.raises(ValueError, match="Several styles need conditional instance norm"):
        StyleTransfer(**TINY, num_styles=2, normalization="batch")
    with pytest.raises(ValueError, match="2 input"):
        StyleTransfer(**TINY, num_styles=2, transform_network=build_transform_network(4, 1))
    model = StyleTransfer(**TINY, num_styles=3)
    with pytest.raises(ValueError, match=r"style must be in \[0, 3\)"):
        model.stylize(np.zeros((8, 8, 3), "float32"), style=3)
    with pytest.raises(ValueError, match="vector of num_styles=3"):
        model.stylize(np.zeros((8, 8, 3), "float32"), style=[0.5, 0.5])


def test_missing_imagenet_weights_raise_before_training(tmp_path, monkeypatch, photos, style_image):
    monkeypatch.setenv("KERAS_GAN_VGG16_WEIGHTS", str(tmp_path / "missing.npz"))
    model = StyleTransfer(filters=4, num_residual_blocks=1, image_size=32)
    assert model.stylize(photos[:1]).shape == (1, 32, 32, 3)  # inference needs no VGG
    model.compile()
    with pytest.raises(MissingWeightsError, match="missing.npz"):
        model.fit(photos, batch_size=2, epochs=1, verbose=0)
    with pytest.raises(MissingWeightsError):
        model.set_style_images(style_image)


# ------------------------------------------------------------------ presets
def test_presets_build_without_the_vgg_and_have_their_sizes():
    counts = {
        name: StyleTransfer.from_preset(name).generator.count_params()
        for name in StyleTransfer.presets
    }
    assert counts == {
        "style_transfer_starry_night_256": 1677635,
        "style_transfer_starry_night_mobile": _johnson_parameter_count(16, 3),
        # Batch norm: gamma, beta and the two moving statistics per channel.
        "style_transfer_starry_night_mobile_int8": _johnson_parameter_count(16, 3, per_channel=4),
        "style_transfer_multi_style_256": _johnson_parameter_count(32, 5, num_styles=4),
    }
    assert counts["style_transfer_starry_night_mobile"] < 1e6
    assert StyleTransfer.from_preset("style_transfer_multi_style_256", num_styles=2).num_styles == 2
    with pytest.raises(ValueError, match="Unknown preset 'nope'"):
        StyleTransfer.from_preset("nope")


def test_style_images_are_read_plain_or_gzipped(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    from PIL import Image

    Image.fromarray(pixels).save(tmp_path / "style.png")
    (tmp_path / "style.png.gz").write_bytes(gzip.compress((tmp_path / "style.png").read_bytes()))
    plain = load_style_image(tmp_path / "style.png")
    np.testing.assert_allclose(plain, pixels / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(load_style_image(tmp_path / "style.png.gz"), plain)
