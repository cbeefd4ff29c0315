"""What only DTN does: the reimplementation's parameter counts, the 3-way losses, a fixed f."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models.dtn import DTN
from keras_gan.models.dtn import dtn_losses as losses
from keras_gan.models.dtn.dtn_networks import (
    build_content_extractor,
    build_digit_classifier,
    build_discriminator,
    build_generator,
)

TINY = DTN.tiny_config


def _images(n, channels, seed=0, size=32):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype("float32")


def _conv(kernel, cin, cout):  # slim.conv2d / conv2d_transpose: a kernel and a bias
    return kernel * kernel * cin * cout + cout


def _reference_counts(source_channels=3, target_channels=1, head=1):
    """yunjey/domain-transfer-network model.py's variables, from its layer shapes.

    slim batch norm (center, scale) holds 4 variables per channel (gamma, beta and the
    moving mean and variance); 2 of them are trainable. `head` is D's last conv width
    (1 in the reimplementation's binary D, 3 in the paper's 3-way D).
    """
    f_convs = [(3, source_channels, 64), (3, 64, 128), (3, 128, 256), (4, 256, 128)]
    g_convs = [(4, 128, 512), (3, 512, 256), (3, 256, 128)]
    d_convs = [(3, target_channels, 128), (3, 128, 256), (3, 256, 512)]
    f = sum(_conv(*c) + 4 * c[2] for c in f_convs)
    g = sum(_conv(*c) + 4 * c[2] for c in g_convs) + _conv(3, 128, target_channels)
    d = sum(_conv(*c) + 4 * c[2] for c in d_convs) + _conv(4, 512, head)
    trainable = {
        "f": f - 2 * sum(c[2] for c in f_convs),
        "g": g - 2 * sum(c[2] for c in g_convs),
        "d": d - 2 * sum(c[2] for c in d_convs),
    }
    return {"f": f, "g": g, "d": d}, trainable


def _trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_parameter_counts_equal_the_reimplementation():
    total, trainable = _reference_counts(head=3)
    # The reimplementation's totals (binary D head): f 897,536, g 2,528,769, D 1,488,385.
    assert _reference_counts()[0] == {"f": 897_536, "g": 2_528_769, "d": 1_488_385}
    f = build_content_extractor()
    g = build_generator(tuple(f.output.shape[1:]))
    d = build_discriminator()
    assert (f.count_params(), g.count_params(), d.count_params()) == (
        total["f"], total["g"], total["d"],
    )  # fmt: skip
    assert (_trainable(f), _trainable(g), _trainable(d)) == (
        trainable["f"], trainable["g"], trainable["d"],
    )  # fmt: skip
    # The pretraining head: a 1x1 conv from the 128-d embedding to 10 logits.
    assert build_digit_classifier(f).count_params() == total["f"] + 128 * 10 + 10


def test_shapes_follow_the_paper_digits_setup():
    model = DTN()
    assert tuple(model.f.output.shape) == (None, 1, 1, 128)
    assert tuple(model.g.output.shape) == (None, 32, 32, 1)
    assert tuple(model.discriminator.output.shape) == (None, 3)
    assert (model.alpha, model.beta, model.gamma) == (15.0, 15.0, 0.0)


def test_three_way_losses_on_known_logits():
    big = 20.0
    right = tf.constant([[big, 0, 0]]), tf.constant([[0, big, 0]]), tf.constant([[0, 0, big]])
    assert float(losses.three_way_discriminator_loss(*right)) == pytest.approx(0.0, abs=1e-6)
    uniform = tf.zeros((4, 3))
    value = losses.three_way_discriminator_loss(uniform, uniform, uniform)
    assert float(value) == pytest.approx(3 * np.log(3.0), rel=1e-6)
    fooled = tf.constant([[0, 0, big]])
    assert float(losses.three_way_generator_loss(fooled, fooled)) == pytest.approx(0, abs=1e-6)
    assert float(losses.three_way_generator_loss(*right[:2])) == pytest.approx(2 * big, rel=1e-4)


def test_total_variation_is_the_paper_isotropic_form():
    flat = tf.ones((1, 8, 8, 1))
    assert float(losses.isotropic_total_variation(flat)) == pytest.approx(0.0, abs=1e-3)
    ramp = tf.reshape(tf.range(8, dtype=tf.float32), (1, 1, 8, 1)) * tf.ones((1, 8, 1, 1))
    # A horizontal ramp of slope 1: every pixel's gradient norm is 1.
    assert float(losses.isotropic_total_variation(ramp)) == pytest.approx(1.0, rel=1e-4)
    with pytest.raises(ValueError, match="images"):
        losses.isotropic_total_variation(tf.ones((8, 8)))


def test_fit_keeps_f_fixed_and_lowers_the_identity_loss():
    keras.utils.set_random_seed(0)
    model = DTN(**TINY, gamma=0.05)
    model.compile(keras.optimizers.Adam(3e-3), keras.optimizers.Adam(3e-4))
    f_before = [np.array(w) for w in model.f.weights]  # moving statistics included
    from keras_gan.testing.family_test_case import real_photos

    batch = (_images(4, 3), real_photos(32, 4, channels=1))

    def identity_loss():  # in training mode (batch statistics), as the steps see it
        embeddings = model.embed(batch[0]), model.embed(batch[1])
        return float(model._generator_losses(*embeddings, batch[1], True)[1]["g_tid"])

    first = identity_loss()
    history = model.fit(tf.data.Dataset.from_tensors(batch).repeat(30), verbose=0).history
    assert set(history) >= {"d_loss", "g_gan", "g_const", "g_tid", "g_tv"}
    assert all(np.isfinite(v[-1]) for v in history.values())
    for before, after in zip(f_before, model.f.weights, strict=True):
        np.testing.assert_array_equal(before, np.array(after))
    assert identity_loss() < 0.7 * first


def test_a_user_f_with_a_vector_output():
    images = keras.Input((32, 32, 3))
    x = keras.layers.Conv2D(4, 3, strides=4)(images)
    trunk = keras.Model(images, keras.layers.Dense(6)(keras.layers.Flatten()(x)))
    model = DTN(**{**TINY, "channels_b": 3}, f=trunk)
    assert not model.f.trainable and model.g.inputs[0].shape[1:] == (6,)
    out = model.translate(_images(2, 3, size=40))  # other sides are resized to 32
    assert out.shape == (2, 32, 32, 3) and np.all(np.abs(out) <= 1)
    model.compile()
    model.fit(tf.data.Dataset.from_tensors((_images(2, 3), _images(2, 3))), verbose=0)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="multiple of 8"):
        DTN(**{**TINY, "image_size": 30})
    gray_trunk = build_content_extractor(32, 1, 4, 8)
    with pytest.raises(ValueError, match="channels_a=3"):
        DTN(**TINY, f=gray_trunk)
    model = DTN(**TINY)
    with pytest.raises(ValueError, match="images must be"):
        model.predict_images(_images(2, 1))
    with pytest.raises(ValueError, match="target images must be"):
        model._batch((_images(2, 3), _images(2, 3)))


def test_keras_file_round_trip_in_a_fresh_process(tmp_path):
    from keras_gan.testing.family_test_case import run_fresh_process_loading_test

    model = DTN(**TINY)
    model.compile()
    model.fit(tf.data.Dataset.from_tensors((_images(4, 3), _images(4, 1))), verbose=0)
    run_fresh_process_loading_test({"dtn": model}, tmp_path)
