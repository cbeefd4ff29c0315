import math

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.losses.relativistic import (
    relativistic_average_discriminator_loss,
    relativistic_average_generator_loss,
)


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def test_hand_computed_values():
    # real = [2, 0], fake = [1, -1]: mean(fake) = 0, mean(real) = 1, so the relative
    # logits are real - 0 = [2, 0] and fake - 1 = [0, -2].
    real, fake = [[2.0], [0.0]], [[1.0], [-1.0]]
    log_s2, log_s0, log_sm2 = (math.log(_sigmoid(v)) for v in (2.0, 0.0, -2.0))
    # D: -mean(log sig([2, 0])) and -mean(log(1 - sig([0, -2]))) = -mean(log sig([0, 2])).
    expected_d = 0.5 * (-(log_s2 + log_s0) / 2 - (log_s0 + log_s2) / 2)
    # G: -mean(log(1 - sig([2, 0]))) = -mean(log sig([-2, 0])) and -mean(log sig([0, -2])).
    expected_g = 0.5 * (-(log_sm2 + log_s0) / 2 - (log_s0 + log_sm2) / 2)
    assert expected_d == pytest.approx(0.410038, abs=1e-6)
    assert expected_g == pytest.approx(1.410038, abs=1e-6)
    d = float(relativistic_average_discriminator_loss(real, fake))
    g = float(relativistic_average_generator_loss(real, fake))
    assert d == pytest.approx(expected_d, rel=1e-6)
    assert g == pytest.approx(expected_g, rel=1e-6)


def test_matches_the_probability_form_on_random_logits():
    rng = np.random.default_rng(0)
    real = rng.normal(1.0, 2.0, size=(5, 1))
    fake = rng.normal(-1.0, 1.5, size=(7, 1))  # the two batches may differ in size
    d_real = 1 / (1 + np.exp(-(real - fake.mean())))  # D_Ra(x_r, x_f)
    d_fake = 1 / (1 + np.exp(-(fake - real.mean())))  # D_Ra(x_f, x_r)
    expected_d = 0.5 * (-np.log(d_real).mean() - np.log(1 - d_fake).mean())
    expected_g = 0.5 * (-np.log(1 - d_real).mean() - np.log(d_fake).mean())
    d = relativistic_average_discriminator_loss(real.astype("float32"), fake.astype("float32"))
    g = relativistic_average_generator_loss(real.astype("float32"), fake.astype("float32"))
    assert float(d) == pytest.approx(expected_d, rel=1e-5)
    assert float(g) == pytest.approx(expected_g, rel=1e-5)


def test_large_margins_are_stable_and_the_generator_gets_gradients():
    real = tf.constant([[60.0], [80.0]])
    fake = tf.Variable([[-70.0], [-50.0]])
    assert float(relativistic_average_discriminator_loss(real, fake)) == pytest.approx(
        0.0, abs=1e-6
    )
    with tf.GradientTape() as tape:
        g = relativistic_average_generator_loss(real, fake)
    # mean(fake) = -60, mean(real) = 70: softplus(l) = l for large l, so
    # g = 0.5 * (mean([80, 60] + 60) + mean(70 - [-70, -50])) = 0.5 * (130 + 130).
    assert float(g) == pytest.approx(130.0, rel=1e-6)
    gradient = tape.gradient(g, fake).numpy()
    # Saturated, each term falls by 1 / len(fake) per unit of a fake logit: the real
    # term through mean(fake), the fake term directly; halved: -0.5 each.
    np.testing.assert_allclose(gradient, [[-0.5], [-0.5]], atol=1e-5)


def test_half_precision_logits_give_float32_losses():
    real = tf.constant([[1.0], [2.0]], tf.float16)
    fake = tf.constant([[0.0], [-1.0]], tf.float16)
    assert relativistic_average_discriminator_loss(real, fake).dtype == tf.float32
    assert relativistic_average_generator_loss(real, fake).dtype == tf.float32
