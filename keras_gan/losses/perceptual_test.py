import numpy as np
import pytest
import tensorflow as tf

from keras_gan.losses.perceptual import (
    feature_reconstruction_loss,
    gram_matrix,
    style_loss,
    total_variation_loss,
)


def test_gram_matrix_by_hand():
    # One image, H=1, W=2, C=2: pixels (1, 2) and (3, 4).
    features = np.array([[[[1.0, 2.0], [3.0, 4.0]]]], "float32")
    # sum over pixels of outer products: [[1+9, 2+12], [2+12, 4+16]] / (1 * 2 * 2)
    expected = np.array([[[10.0, 14.0], [14.0, 20.0]]]) / 4
    np.testing.assert_allclose(gram_matrix(features), expected, rtol=1e-6)


def test_gram_matrix_matches_einsum_for_a_batch():
    x = np.random.default_rng(0).normal(size=(3, 4, 5, 6)).astype("float32")
    expected = np.einsum("nhwc,nhwd->ncd", x, x) / (4 * 5 * 6)
    np.testing.assert_allclose(gram_matrix(x), expected, rtol=1e-5, atol=1e-6)


def test_gram_matrix_with_unknown_spatial_size_in_a_graph():
    function = tf.function(gram_matrix, input_signature=[tf.TensorSpec((None, None, None, 2))])
    x = np.arange(2 * 3 * 1 * 2, dtype="float32").reshape(2, 3, 1, 2)
    np.testing.assert_allclose(function(x), np.einsum("nhwc,nhwd->ncd", x, x) / 6, rtol=1e-6)
    with pytest.raises(ValueError, match="Received: shape=\\(2, 3\\)"):
        gram_matrix(np.zeros((2, 3), "float32"))


def test_feature_reconstruction_loss_by_hand():
    a = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    b = np.array([[1.0, 0.0], [4.0, 1.0]], "float32")
    # differences 0, 2, -1, 3
    assert float(feature_reconstruction_loss(a, b)) == pytest.approx((0 + 4 + 1 + 9) / 4)
    assert float(feature_reconstruction_loss(a, b, norm="l1")) == pytest.approx((0 + 2 + 1 + 3) / 4)
    with pytest.raises(ValueError, match="Received: norm='l3'"):
        feature_reconstruction_loss(a, b, norm="l3")


def test_style_loss_by_hand_with_broadcast_targets_and_weights():
    rng = np.random.default_rng(1)
    features = [rng.normal(size=(2, 3, 3, 2)).astype("float32"), rng.normal(size=(2, 2, 2, 4))]
    targets = [rng.normal(size=(1, 2, 2)).astype("float32"), rng.normal(size=(2, 4, 4))]
    weights = [0.5, 2.0]
    expected = 0.0
    for f, t, w in zip(features, targets, weights, strict=True):
        gram = np.einsum("nhwc,nhwd->ncd", f, f) / np.prod(f.shape[1:])
        expected += w * np.mean((gram - t) ** 2)  # t of batch 1 broadcasts over N
    loss = style_loss(features, targets, weights)
    assert loss.dtype == "float32"
    assert float(loss) == pytest.approx(expected, rel=1e-5)
    unweighted = sum(
        np.mean((np.einsum("nhwc,nhwd->ncd", f, f) / np.prod(f.shape[1:]) - t) ** 2)
        for f, t in zip(features, targets, strict=True)
    )
    assert float(style_loss(features, targets)) == pytest.approx(unweighted, rel=1e-5)
    same = [gram_matrix(f)[:1] for f in features]
    assert float(style_loss([f[:1] for f in features], same)) == pytest.approx(0.0, abs=1e-10)
    with pytest.raises(ValueError, match="2 feature maps, 1 targets, 2 weights"):
        style_loss(features, targets[:1])


def test_total_variation_loss_by_hand():
    image = np.array([[0.0, 1.0, 3.0], [2.0, 2.0, 2.0]], "float32").reshape(1, 2, 3, 1)
    # vertical |2-0|, |2-1|, |2-3| = 2, 1, 1; horizontal 1, 2, 0, 0: 7 over 7 pairs.
    assert float(total_variation_loss(image)) == pytest.approx(1.0)
    assert float(total_variation_loss(np.ones((2, 5, 4, 3), "float32"))) == 0.0
    # A single row has only horizontal neighbours.
    row = np.array([0.0, 4.0, 4.0], "float32").reshape(1, 1, 3, 1)
    assert float(total_variation_loss(row)) == pytest.approx(2.0)


def test_float32_math_for_half_precision_inputs_and_gradients():
    x = tf.constant(np.full((1, 2, 2, 2), 300.0, "float16"))  # 300**2 * 4 overflows float16
    assert gram_matrix(x).dtype == tf.float32
    np.testing.assert_allclose(gram_matrix(x), np.full((1, 2, 2), 300.0**2 * 4 / 8), rtol=1e-3)
    assert feature_reconstruction_loss(x, tf.zeros_like(x)).dtype == tf.float32
    assert float(feature_reconstruction_loss(x, tf.zeros_like(x))) == pytest.approx(90000.0)
    assert total_variation_loss(x).dtype == tf.float32
    images = tf.Variable(np.random.default_rng(0).normal(size=(1, 4, 4, 3)).astype("float32"))
    with tf.GradientTape() as tape:
        loss = total_variation_loss(images) + style_loss([images], [tf.zeros((1, 3, 3))])
    gradient = tape.gradient(loss, images)
    assert np.all(np.isfinite(gradient)) and np.abs(gradient).max() > 0
