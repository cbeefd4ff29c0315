"""Adversarial losses against values worked out by hand from small explicit logits."""

import math

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.losses import adversarial
from keras_gan.losses.adversarial import (
    ADVERSARIAL_LOSSES,
    get_adversarial_losses,
    hinge_discriminator_loss,
    hinge_generator_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)

REAL = [2.0, -1.0]
FAKE = [-3.0, 0.5]


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def value(tensor):
    assert tensor.shape == ()
    assert tensor.dtype == tf.float32
    return float(tensor)


def test_minimax_discriminator_loss_by_hand():
    # -log D(x) averaged over real, plus -log(1 - D(G(z))) averaged over fake.
    real_term = (-math.log(sigmoid(2.0)) - math.log(sigmoid(-1.0))) / 2
    fake_term = (-math.log(1 - sigmoid(-3.0)) - math.log(1 - sigmoid(0.5))) / 2
    expected = real_term + fake_term
    assert value(minimax_discriminator_loss(REAL, FAKE)) == pytest.approx(expected, rel=1e-6)
    # Same numbers through the softplus identities, written out.
    assert expected == pytest.approx(
        (math.log(1 + math.exp(-2)) + math.log(1 + math.exp(1))) / 2
        + (math.log(1 + math.exp(-3)) + math.log(1 + math.exp(0.5))) / 2
    )


def test_minimax_discriminator_loss_at_zero_logits_is_two_log_two():
    # D = 1/2 everywhere: -log(1/2) - log(1/2).
    loss = minimax_discriminator_loss(tf.zeros([5, 1]), tf.zeros([3, 1]))
    assert value(loss) == pytest.approx(2 * math.log(2.0), rel=1e-6)


def test_minimax_generator_loss_is_saturating_log_one_minus_d():
    expected = (math.log(1 - sigmoid(-3.0)) + math.log(1 - sigmoid(0.5))) / 2
    assert value(minimax_generator_loss(FAKE)) == pytest.approx(expected, rel=1e-6)
    assert expected < 0


def test_non_saturating_generator_loss_is_minus_log_d():
    expected = (-math.log(sigmoid(-3.0)) - math.log(sigmoid(0.5))) / 2
    assert value(non_saturating_generator_loss(FAKE)) == pytest.approx(expected, rel=1e-6)


def test_least_squares_losses_by_hand():
    # 0.5 * mean((D(x) - 1)^2) + 0.5 * mean(D(G(z))^2)
    expected_d = 0.5 * ((2 - 1) ** 2 + (-1 - 1) ** 2) / 2 + 0.5 * ((-3) ** 2 + 0.5**2) / 2
    assert expected_d == pytest.approx(0.5 * 2.5 + 0.5 * 4.625)
    assert value(least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(expected_d)
    expected_g = 0.5 * ((-3 - 1) ** 2 + (0.5 - 1) ** 2) / 2
    assert value(least_squares_generator_loss(FAKE)) == pytest.approx(expected_g)
    # The optimum for the discriminator (real -> 1, fake -> 0) and generator (fake -> 1) is 0.
    assert value(least_squares_discriminator_loss([1.0, 1.0], [0.0, 0.0])) == 0.0
    assert value(least_squares_generator_loss([1.0, 1.0])) == 0.0


def test_hinge_losses_by_hand():
    # relu(1 - D(x)): relu(-1) = 0, relu(2) = 2; relu(1 + D(G(z))): relu(-2) = 0, relu(1.5) = 1.5
    expected_d = (0 + 2) / 2 + (0 + 1.5) / 2
    assert value(hinge_discriminator_loss(REAL, FAKE)) == pytest.approx(expected_d)
    assert value(hinge_generator_loss(FAKE)) == pytest.approx(-(-3 + 0.5) / 2)
    # Beyond the margins the discriminator loss is exactly zero.
    assert value(hinge_discriminator_loss([1.0, 5.0], [-1.0, -7.0])) == 0.0


def test_wasserstein_losses_by_hand():
    expected_d = (-3 + 0.5) / 2 - (2 - 1) / 2
    assert value(wasserstein_discriminator_loss(REAL, FAKE)) == pytest.approx(expected_d)
    assert value(wasserstein_generator_loss(FAKE)) == pytest.approx(1.25)


def test_real_and_fake_batches_may_differ_in_size_and_shape():
    real = np.array([[2.0], [-1.0], [4.0]])
    fake = np.array([[0.5]])
    expected = (0 + 2 + 0) / 3 + 1.5
    assert value(hinge_discriminator_loss(real, fake)) == pytest.approx(expected)
    expected_w = 0.5 - (2 - 1 + 4) / 3
    assert value(wasserstein_discriminator_loss(real, fake)) == pytest.approx(expected_w)


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float64, tf.int32])
def test_losses_cast_inputs_to_float32(dtype):
    real = tf.constant([2, -1], dtype)
    fake = tf.constant([-3, 1], dtype)
    for d_loss, g_loss in ADVERSARIAL_LOSSES.values():
        assert d_loss(real, fake).dtype == tf.float32
        assert g_loss(fake).dtype == tf.float32
    # ints go through the same arithmetic: hinge D = (0 + 2)/2 + (0 + 2)/2
    assert value(hinge_discriminator_loss(real, fake)) == pytest.approx(2.0)


def test_get_adversarial_losses_returns_the_right_pairs():
    assert get_adversarial_losses("minimax") == (
        minimax_discriminator_loss,
        minimax_generator_loss,
    )
    assert get_adversarial_losses("non_saturating") == (
        minimax_discriminator_loss,
        non_saturating_generator_loss,
    )
    assert get_adversarial_losses("least_squares") == (
        least_squares_discriminator_loss,
        least_squares_generator_loss,
    )
    assert get_adversarial_losses("hinge") == (hinge_discriminator_loss, hinge_generator_loss)
    assert get_adversarial_losses("wasserstein") == (
        wasserstein_discriminator_loss,
        wasserstein_generator_loss,
    )
    assert sorted(ADVERSARIAL_LOSSES) == [
        "hinge",
        "least_squares",
        "minimax",
        "non_saturating",
        "wasserstein",
    ]
    assert adversarial.get_adversarial_losses is get_adversarial_losses


@pytest.mark.parametrize("name", ["bogus", "Hinge", "", "non-saturating"])
def test_get_adversarial_losses_rejects_unknown_name(name):
    with pytest.raises(ValueError, match="Unknown adversarial loss") as info:
        get_adversarial_losses(name)
    message = str(info.value)
    assert repr(name) in message
    for known in ADVERSARIAL_LOSSES:
        assert known in message


def test_large_logits_are_finite_and_equal_the_limits():
    big = tf.constant([100.0, 100.0])
    # Confident and right: the sigmoid losses vanish.
    assert value(minimax_discriminator_loss(big, -big)) == pytest.approx(0.0, abs=1e-30)
    assert value(non_saturating_generator_loss(big)) == pytest.approx(0.0, abs=1e-30)
    assert value(minimax_generator_loss(-big)) == pytest.approx(0.0, abs=1e-30)
    # Confident and wrong: -log(sigmoid(-100)) = 100 + log(1 + e^-100) -> 100.
    assert value(minimax_discriminator_loss(-big, big)) == pytest.approx(200.0, rel=1e-6)
    assert value(non_saturating_generator_loss(-big)) == pytest.approx(100.0, rel=1e-6)
    assert value(minimax_generator_loss(big)) == pytest.approx(-100.0, rel=1e-6)
    for d_loss, g_loss in ADVERSARIAL_LOSSES.values():
        for r, f in [(big, -big), (-big, big)]:
            assert math.isfinite(value(d_loss(r, f)))
            assert math.isfinite(value(g_loss(f)))


def test_extreme_float32_logits_stay_finite_for_sigmoid_losses():
    # A naive -log(sigmoid(l)) gives inf at l = -200 (sigmoid underflows to 0).
    extreme = tf.constant([-200.0, 3e4])
    assert value(non_saturating_generator_loss(extreme)) == pytest.approx(100.0, rel=1e-6)
    assert value(minimax_generator_loss(-extreme)) == pytest.approx(-100.0, rel=1e-6)
    # Real term: mean(softplus(200), softplus(-3e4)) = 100; the fake term mirrors it.
    assert value(minimax_discriminator_loss(extreme, -extreme)) == pytest.approx(200.0, rel=1e-6)


def test_gradients_at_large_logits_are_finite_and_show_saturation():
    fake = tf.Variable([-100.0, -100.0])
    with tf.GradientTape(persistent=True) as tape:
        saturating = minimax_generator_loss(fake)
        non_saturating = non_saturating_generator_loss(fake)
    grad_sat = tape.gradient(saturating, fake).numpy()
    grad_ns = tape.gradient(non_saturating, fake).numpy()
    assert np.all(np.isfinite(grad_sat)) and np.all(np.isfinite(grad_ns))
    # d/dl [-softplus(l)]/N = -sigmoid(l)/N -> 0: the saturating loss gives no signal.
    np.testing.assert_allclose(grad_sat, [0.0, 0.0], atol=1e-30)
    # d/dl [softplus(-l)]/N = -sigmoid(-l)/N -> -1/2: the non-saturating one does.
    np.testing.assert_allclose(grad_ns, [-0.5, -0.5], rtol=1e-6)
