import numpy as np
import pytest
import tensorflow as tf

from keras_gan.metrics.feature_extractors import (
    FEATURE_EXTRACTORS,
    class_probabilities,
    feature_extractor,
)
from keras_gan.metrics.frechet import FrechetDistance
from keras_gan.metrics.inception import inception_score
from keras_gan.metrics.kernel_distance import KernelDistance
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import MissingWeightsError, cache_dir


def needs(path, how):
    if not path.is_file():
        pytest.skip(f"No {path}: {how}.")


@pytest.fixture(scope="module")
def vgg16():
    needs(cache_dir() / "vgg16_imagenet.npz", "run `make weights`")
    return feature_extractor("vgg16")


@pytest.fixture(scope="module")
def fashion(fashion_classifier):
    """Features of the cached classifier (the conftest fixture trains it when missing)."""
    return feature_extractor("fashion")


@pytest.fixture(scope="module")
def crops():
    """Sixteen 48x48 crops of four photos, in [-1, 1]."""
    from skimage import data

    images = []
    for name in ("astronaut", "coffee", "chelsea", "rocket"):
        photo = getattr(data, name)()
        for row, column in ((0, 0), (1, 1), (2, 0), (0, 2)):
            top, left = 60 + row * 70, 80 + column * 70
            images.append(photo[top : top + 48, left : left + 48])
    return (np.stack(images).astype("float32") / 127.5 - 1.0).astype("float32")


def test_vgg16_features_are_block5_conv3_averaged(vgg16, crops):
    assert vgg16.output_shape == (None, 512)
    features = np.asarray(vgg16(crops[:3]))
    assert features.shape == (3, 512) and (features >= 0).all() and features.max() > 0
    block5 = VGGFeatures(layer_names=("block5_conv3",))(crops[:3])[0]
    np.testing.assert_allclose(features, np.asarray(block5).mean(axis=(1, 2)), rtol=1e-5)
    gray = crops[:2].mean(-1, keepdims=True)
    np.testing.assert_allclose(
        np.asarray(vgg16(gray)), np.asarray(vgg16(np.repeat(gray, 3, -1))), rtol=1e-6
    )
    assert np.asarray(vgg16(np.zeros((1, 32, 40, 3), "float32"))).shape == (1, 512)


def test_fashion_features_convert_to_28x28_grayscale(fashion, crops):
    from keras_gan.metrics.fashion_classifier import fashion_features, load_fashion_classifier

    assert fashion.output_shape == (None, 128)
    direct = fashion_features(load_fashion_classifier(train_if_missing=False))
    small = tf.image.resize(crops[:3], (28, 28)).numpy()
    gray = small @ np.array([0.299, 0.587, 0.114], "float32")
    expected = np.asarray(direct(gray[..., None]))
    np.testing.assert_allclose(np.asarray(fashion(crops[:3])), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(fashion(gray[..., None])), expected, rtol=1e-5, atol=1e-6)


def test_fashion_probabilities_score_real_images(fashion):
    from keras_gan.data import load_fashion_mnist

    images, labels = load_fashion_mnist("test")
    images = (images[:500, ..., None].astype("float32") / 127.5 - 1.0).astype("float32")
    probabilities = class_probabilities("fashion").predict(images, batch_size=250, verbose=0)
    assert probabilities.shape == (500, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert np.mean(probabilities.argmax(axis=1) == labels[:500]) > 0.85
    score, _ = inception_score(probabilities, splits=1)
    # Confident and spread over the 10 balanced classes: close to 10, far above 1.
    assert 7.0 < score <= 10.0


@pytest.mark.parametrize("name", ["vgg16", "fashion"])
def test_a_set_against_itself_is_at_zero(name, crops, request):
    extractor = request.getfixturevalue(name)
    rng = np.random.default_rng(0)
    noisy = np.clip(crops + rng.normal(0, 0.3, crops.shape), -1, 1).astype("float32")
    frechet = FrechetDistance(extractor)
    kernel = KernelDistance(extractor, max_samples=16, num_subsets=1)
    for metric in (frechet, kernel):
        metric.update_state(crops[:8], crops[:8])
        metric.update_state(crops[8:], crops[8:])
    same = {"fd": float(frechet.result()), "kid": float(kernel.result())}
    for metric in (frechet, kernel):
        metric.reset_state()
        metric.update_state(crops, noisy)
    different = {"fd": float(frechet.result()), "kid": float(kernel.result())}
    assert different["fd"] > 0 and different["kid"] > 0
    assert abs(same["fd"]) < 1e-4 * different["fd"]
    # The unbiased KID of a set with itself is not exactly 0: with A the mean of k(x_i, x_i)
    # and B the mean of k(x_i, x_j), i != j, it is -2 (A - B) / m, which vanishes as 1/m.
    features = np.asarray(extractor(crops), np.float64)
    k = (features @ features.T / features.shape[1] + 1.0) ** 3
    m = len(k)
    self_mean, cross_mean = np.trace(k) / m, (k.sum() - np.trace(k)) / (m * (m - 1))
    assert same["kid"] == pytest.approx(-2.0 * (self_mean - cross_mean) / m, rel=1e-4)


def test_unknown_names_and_missing_files(tmp_path):
    assert FEATURE_EXTRACTORS == ("inception", "vgg16", "fashion")
    with pytest.raises(ValueError, match=r"\['inception', 'vgg16', 'fashion'\]. Received: 'clip'"):
        feature_extractor("clip")
    with pytest.raises(ValueError, match=r"\['inception', 'fashion'\]. Received: 'vgg16'"):
        class_probabilities("vgg16")
    with pytest.raises(MissingWeightsError, match="load_fashion_classifier\\(train_if_missing"):
        feature_extractor("fashion", weights=tmp_path / "missing.keras")
    with pytest.raises(MissingWeightsError, match="notop.h5"):
        feature_extractor("inception", weights=tmp_path)
    with pytest.raises(MissingWeightsError, match="missing.npz"):
        feature_extractor("vgg16", weights=tmp_path / "missing.npz")


def test_random_weights_for_tests():
    features = feature_extractor("fashion", weights=None)
    assert np.asarray(features(np.zeros((2, 20, 20, 3), "float32"))).shape == (2, 128)
    probabilities = class_probabilities("fashion", weights=None)
    np.testing.assert_allclose(
        np.asarray(probabilities(np.zeros((2, 28, 28, 1), "float32"))).sum(axis=1), 1.0, rtol=1e-6
    )
