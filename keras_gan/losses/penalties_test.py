"""Gradient penalties and interpolation, on explicit gradients and on tape gradients."""

import math

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.losses.penalties import gradient_penalty, interpolate, r1_penalty


def test_gradient_penalty_on_explicit_gradients():
    # Per-sample norms 3 and 1 -> mean((3 - 1)^2, (1 - 1)^2) = 2.
    gradients = tf.constant([[3.0, 0.0], [0.0, 1.0]])
    penalty = gradient_penalty(gradients)
    assert penalty.shape == () and penalty.dtype == tf.float32
    assert float(penalty) == pytest.approx(2.0, rel=1e-6)
    # A 3-4-5 triangle: (5 - 1)^2.
    assert float(gradient_penalty(tf.constant([[3.0, -4.0]]))) == pytest.approx(16.0, rel=1e-6)


def test_gradient_penalty_target_norm():
    gradients = tf.constant([[3.0, 0.0], [0.0, 1.0]])
    # target 0: mean(9, 1) = 5; target 2: mean(1, 1) = 1
    assert float(gradient_penalty(gradients, target_norm=0.0)) == pytest.approx(5.0, rel=1e-5)
    assert float(gradient_penalty(gradients, target_norm=2.0)) == pytest.approx(1.0, rel=1e-5)


def test_gradient_penalty_norm_covers_all_non_batch_axes_of_4d_input():
    gradients = np.zeros((2, 2, 2, 2), np.float32)  # 8 values per sample
    gradients[0] = 0.5  # 8 entries of 0.25 -> squared norm 2 -> norm sqrt(2)
    gradients[1, 1, 0, 1] = 2.0  # a single entry -> norm 2
    expected = ((math.sqrt(2.0) - 1) ** 2 + (2.0 - 1) ** 2) / 2
    assert float(gradient_penalty(gradients)) == pytest.approx(expected, rel=1e-5)
    # Each sample's norm is over H, W and C together, not per pixel or per channel.
    per_pixel_norms = np.sqrt(np.sum(gradients**2, axis=-1))
    per_pixel = np.mean((per_pixel_norms - 1) ** 2)
    assert float(gradient_penalty(gradients)) != pytest.approx(per_pixel, rel=1e-3)


def test_gradient_penalty_matches_flattened_input():
    gradients = np.random.default_rng(0).normal(size=(5, 4, 3, 2)).astype(np.float32)
    flat = gradients.reshape(5, -1)
    norms = np.sqrt(np.sum(flat.astype(np.float64) ** 2, axis=1))
    expected = np.mean((norms - 1.0) ** 2)
    assert float(gradient_penalty(gradients)) == pytest.approx(expected, rel=1e-5)
    assert float(gradient_penalty(flat)) == pytest.approx(expected, rel=1e-5)


def test_gradient_penalty_of_zero_gradients_is_finite_with_finite_gradient():
    gradients = tf.Variable(tf.zeros((3, 2, 2, 1)))
    with tf.GradientTape() as tape:
        penalty = gradient_penalty(gradients)
    # ||0|| is 0 up to the tiny epsilon under the square root: (0 - 1)^2 = 1.
    assert float(penalty) == pytest.approx(1.0, rel=1e-5)
    grad = tape.gradient(penalty, gradients)
    assert np.all(np.isfinite(grad.numpy()))


def test_r1_penalty_is_mean_sum_of_squares():
    gradients = tf.constant([[1.0, 2.0], [3.0, 0.0]])
    # (1 + 4 + 9 + 0) / 2 samples = 7
    penalty = r1_penalty(gradients)
    assert penalty.shape == () and penalty.dtype == tf.float32
    assert float(penalty) == pytest.approx(7.0)
    four_d = np.zeros((2, 2, 2, 3), np.float32)
    four_d[0] = 1.0  # 12 ones
    four_d[1, 0, 1, 2] = 3.0  # 9
    assert float(r1_penalty(four_d)) == pytest.approx((12.0 + 9.0) / 2)
    assert float(r1_penalty(tf.constant(four_d, tf.float16))) == pytest.approx(10.5)


def test_gradient_penalty_of_linear_critic_by_tape():
    # D(x) = sum(w * x) per sample: dD/dx = w for every sample, so the penalty
    # is (||w|| - 1)^2 = (3 - 1)^2 = 4 and R1 is ||w||^2 = 9.
    w = tf.constant([[1.0, 2.0], [2.0, 0.0]])  # ||w|| = sqrt(1 + 4 + 4) = 3

    def critic(x):
        return tf.reduce_sum(w * x, axis=[1, 2])

    x = tf.random.stateless_normal((4, 2, 2), seed=[1, 2])
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = critic(x)
    gradients = tape.gradient(scores, x)
    np.testing.assert_allclose(gradients.numpy(), np.broadcast_to(w.numpy(), (4, 2, 2)))
    assert float(gradient_penalty(gradients)) == pytest.approx((3.0 - 1.0) ** 2, rel=1e-6)
    assert float(r1_penalty(gradients)) == pytest.approx(9.0, rel=1e-6)


def test_gradient_penalty_of_quadratic_critic_at_interpolates_by_tape():
    # D(x) = 0.5 * sum(x^2) per sample: dD/dx = x, so the penalty is
    # mean((||x_hat_i|| - 1)^2) at x_hat = eps * real + (1 - eps) * fake.
    real = np.array([[[[1.0]], [[2.0]]], [[[0.0]], [[-1.0]]]], np.float32)  # [2, 2, 1, 1]
    fake = np.array([[[[3.0]], [[0.0]]], [[[4.0]], [[3.0]]]], np.float32)
    epsilon = np.array([0.5, 0.25], np.float32).reshape(2, 1, 1, 1)
    # sample 0: 0.5*[1,2] + 0.5*[3,0] = [2, 1]     -> norm sqrt(5)
    # sample 1: 0.25*[0,-1] + 0.75*[4,3] = [3, 2]  -> norm sqrt(13)
    expected = ((math.sqrt(5) - 1) ** 2 + (math.sqrt(13) - 1) ** 2) / 2

    x_hat = interpolate(tf.constant(real), tf.constant(fake), epsilon)
    np.testing.assert_allclose(x_hat.numpy().reshape(2, 2), [[2.0, 1.0], [3.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch(x_hat)
        scores = 0.5 * tf.reduce_sum(tf.square(x_hat), axis=[1, 2, 3])
    gradients = tape.gradient(scores, x_hat)
    assert float(gradient_penalty(gradients)) == pytest.approx(expected, rel=1e-5)
    assert float(r1_penalty(gradients)) == pytest.approx((5 + 13) / 2, rel=1e-6)


def test_interpolate_endpoints():
    real = tf.random.stateless_normal((3, 4, 4, 2), seed=[0, 1])
    fake = tf.random.stateless_normal((3, 4, 4, 2), seed=[0, 2])
    ones = tf.ones((3, 1, 1, 1))
    np.testing.assert_array_equal(interpolate(real, fake, ones).numpy(), real.numpy())
    np.testing.assert_array_equal(interpolate(real, fake, 0.0 * ones).numpy(), fake.numpy())
    # Per sample: first sample real, second fake, third a quarter of the way.
    mixed = interpolate(real, fake, tf.constant([1.0, 0.0, 0.25])[:, None, None, None])
    np.testing.assert_array_equal(mixed[0].numpy(), real[0].numpy())
    np.testing.assert_array_equal(mixed[1].numpy(), fake[1].numpy())
    np.testing.assert_allclose(
        mixed[2].numpy(), 0.25 * real[2].numpy() + 0.75 * fake[2].numpy(), rtol=1e-6, atol=1e-6
    )


def test_interpolate_casts_to_real_dtype():
    real = tf.ones((2, 3), tf.float16)
    fake = tf.zeros((2, 3), tf.float32)
    out = interpolate(real, fake, np.array([[0.5], [0.25]], np.float64))
    assert out.dtype == tf.float16
    np.testing.assert_array_equal(out.numpy(), [[0.5] * 3, [0.25] * 3])
