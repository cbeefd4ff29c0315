import importlib
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.metrics.lpips import LPIPSDistance, lpips
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import MissingWeightsError, cache_dir

LAYERS = ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3")


@pytest.fixture(scope="module")
def linear_heads():
    folder = cache_dir()
    files = [folder / "vgg16_imagenet.npz", folder / "lpips_vgg16_linear.npz"]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        pytest.skip(f"No converted ImageNet VGG16/LPIPS weights ({missing}): run `make weights`.")
    with np.load(files[1]) as npz:
        return [npz[f"lin{i}"] for i in range(5)]


@pytest.fixture(scope="module")
def distance(linear_heads):
    return LPIPSDistance()


def photo(name, size=48, sigma=0.0, noise=0.0):
    from skimage import data, filters, transform

    image = transform.resize(getattr(data, name)(), (size, size), anti_aliasing=True)
    if sigma:
        image = filters.gaussian(image, sigma=sigma, channel_axis=-1)
    image = image * 2 - 1
    if noise:
        image = np.clip(image + np.random.default_rng(0).normal(0, noise, image.shape), -1, 1)
    return image.astype("float32")[None]


def reference_lpips(heads, x, y) -> np.ndarray:
    """Per image: for each layer, unit-normalize channels, weight squared differences, average."""
    features = VGGFeatures(layer_names=LAYERS)
    total = np.zeros(len(x))
    for head, fx, fy in zip(heads, features(x), features(y), strict=True):
        fx, fy = np.asarray(fx, np.float64), np.asarray(fy, np.float64)
        fx = fx / (np.linalg.norm(fx, axis=-1, keepdims=True) + 1e-10)
        fy = fy / (np.linalg.norm(fy, axis=-1, keepdims=True) + 1e-10)
        total += ((fx - fy) ** 2 @ head.astype(np.float64)).mean(axis=(1, 2))
    return total


def test_identical_images_are_at_zero_and_the_formula_matches(distance, linear_heads):
    astronaut, cat = photo("astronaut"), photo("chelsea")
    a = np.concatenate([astronaut, cat, photo("coffee")])
    b = np.concatenate([astronaut, photo("astronaut", noise=0.1), photo("rocket")])
    got = np.asarray(distance(a, b))
    assert got.shape == (3,)
    assert got[0] == 0.0
    np.testing.assert_allclose(got, reference_lpips(linear_heads, a, b), atol=1e-5)


def test_distortions_are_closer_than_other_photos(distance):
    astronaut = photo("astronaut")
    distorted = np.concatenate([photo("astronaut", sigma=1.0), photo("astronaut", noise=0.1)])
    others = np.concatenate([photo("chelsea"), photo("coffee"), photo("rocket")])
    near = np.asarray(distance(np.repeat(astronaut, 2, 0), distorted))
    far = np.asarray(distance(np.repeat(astronaut, 3, 0), others))
    assert near.max() < 0.5 * far.min()
    assert (near > 0).all()


def test_lpips_function_batches_and_grayscale(distance):
    a = np.concatenate([photo("astronaut"), photo("chelsea"), photo("coffee")])
    b = np.concatenate([photo("rocket"), photo("astronaut"), photo("chelsea")])
    expected = np.asarray(distance(a, b))
    np.testing.assert_allclose(lpips(a, b, batch_size=2), expected, rtol=1e-5, atol=1e-7)
    # `keras_gan.metrics.lpips` is the function (exported); the module is in sys.modules.
    module = importlib.import_module("keras_gan.metrics.lpips")
    assert isinstance(module._DEFAULT_DISTANCE, LPIPSDistance)  # built once, kept
    np.testing.assert_allclose(lpips(a[0], b[0]), expected[:1], rtol=1e-5, atol=1e-7)
    gray_a, gray_b = a.mean(-1, keepdims=True), b.mean(-1, keepdims=True)
    np.testing.assert_allclose(
        np.asarray(distance(gray_a, gray_b)),
        np.asarray(distance(np.repeat(gray_a, 3, -1), np.repeat(gray_b, 3, -1))),
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="one shape"):
        lpips(a, b[:, :32])


def test_frozen_and_differentiable(distance):
    a = tf.constant(photo("astronaut"))
    b = tf.Variable(photo("astronaut", noise=0.1))
    distance.trainable = True
    assert not distance.trainable and distance.trainable_weights == []
    with tf.GradientTape() as tape:
        value = tf.reduce_sum(distance(a, b))
    gradient = tape.gradient(value, b)
    assert gradient is not None and float(tf.reduce_max(tf.abs(gradient))) > 0


def test_keras_round_trip_reads_the_files_again(distance, tmp_path):
    a, b = keras.Input((32, 32, 3)), keras.Input((32, 32, 3))
    model = keras.Model([a, b], LPIPSDistance(name="lpips")(a, b))
    x, y = photo("astronaut", 32), photo("chelsea", 32)
    expected = np.asarray(model([x, y]))
    path = tmp_path / "lpips.keras"
    model.save(path)
    assert os.path.getsize(path) < 200_000  # VGG16 and the heads are not in the file
    restored = keras.saving.load_model(path)
    np.testing.assert_array_equal(np.asarray(restored([x, y])), expected)
    config = restored.get_layer("lpips").get_config()
    assert config["linear_weights"] is None and config["vgg_weights"] == "imagenet"
    assert keras.saving.get_registered_name(LPIPSDistance) == "keras_gan>LPIPSDistance"


def test_missing_heads_file_is_a_clear_error(tmp_path):
    layer = LPIPSDistance(linear_weights=tmp_path / "nothing.npz")
    with pytest.raises(MissingWeightsError, match=r"lpips_vgg16_linear\.npz.*make weights"):
        layer(np.zeros((1, 32, 32, 3), "float32"), np.zeros((1, 32, 32, 3), "float32"))
    incomplete = tmp_path / "incomplete.npz"
    np.savez(incomplete, lin0=np.zeros(64))
    with pytest.raises(ValueError, match="lin1 is not a file"):
        LPIPSDistance(linear_weights=incomplete).build((None, 32, 32, 3))
    bad = tmp_path / "bad.npz"
    np.savez(bad, lin0=np.zeros(3), **{f"lin{i}": np.zeros(512) for i in range(1, 5)})
    with pytest.raises(ValueError, match=r"`lin0` .* has shape \(3,\), expected \(64,\)"):
        LPIPSDistance(linear_weights=bad)(
            np.zeros((1, 32, 32, 3), "float32"), np.zeros((1, 32, 32, 3), "float32")
        )
