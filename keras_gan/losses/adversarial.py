"""Adversarial losses as pure functions of discriminator logits.

Every function takes raw discriminator outputs (logits, not probabilities) and
returns a scalar: the mean over the batch. Names follow
`<variant>_<role>_loss`; `get_adversarial_losses(name)` returns the pair a GAN
uses.
"""

from collections.abc import Callable

import tensorflow as tf


def _f32(x):
    return tf.cast(x, tf.float32)


def minimax_discriminator_loss(real_logits, fake_logits):
    """Goodfellow et al.: -log D(x) - log(1 - D(G(z))), with D = sigmoid(logits)."""
    real_logits, fake_logits = _f32(real_logits), _f32(fake_logits)
    real = tf.nn.softplus(-real_logits)  # -log(sigmoid(l))
    fake = tf.nn.softplus(fake_logits)  # -log(1 - sigmoid(l))
    return tf.reduce_mean(real) + tf.reduce_mean(fake)


def minimax_generator_loss(fake_logits):
    """The saturating generator loss: log(1 - D(G(z)))."""
    return -tf.reduce_mean(tf.nn.softplus(_f32(fake_logits)))


def non_saturating_generator_loss(fake_logits):
    """The generator loss used in practice: -log D(G(z))."""
    return tf.reduce_mean(tf.nn.softplus(-_f32(fake_logits)))


def least_squares_discriminator_loss(real_logits, fake_logits):
    """LSGAN (Mao et al.), a-b-c = 0-1-1: 0.5 (D(x)-1)^2 + 0.5 D(G(z))^2."""
    real_logits, fake_logits = _f32(real_logits), _f32(fake_logits)
    return 0.5 * tf.reduce_mean(tf.square(real_logits - 1.0)) + 0.5 * tf.reduce_mean(
        tf.square(fake_logits)
    )


def least_squares_generator_loss(fake_logits):
    """LSGAN generator: 0.5 (D(G(z)) - 1)^2."""
    return 0.5 * tf.reduce_mean(tf.square(_f32(fake_logits) - 1.0))


def hinge_discriminator_loss(real_logits, fake_logits):
    """Hinge loss (Lim & Ye; SNGAN, SAGAN): relu(1 - D(x)) + relu(1 + D(G(z)))."""
    real_logits, fake_logits = _f32(real_logits), _f32(fake_logits)
    return tf.reduce_mean(tf.nn.relu(1.0 - real_logits)) + tf.reduce_mean(
        tf.nn.relu(1.0 + fake_logits)
    )


def hinge_generator_loss(fake_logits):
    """Hinge generator loss: -D(G(z))."""
    return -tf.reduce_mean(_f32(fake_logits))


def wasserstein_discriminator_loss(real_logits, fake_logits):
    """WGAN critic loss: D(G(z)) - D(x) (the negative Wasserstein estimate)."""
    return tf.reduce_mean(_f32(fake_logits)) - tf.reduce_mean(_f32(real_logits))


def wasserstein_generator_loss(fake_logits):
    """WGAN generator loss: -D(G(z))."""
    return -tf.reduce_mean(_f32(fake_logits))


ADVERSARIAL_LOSSES: dict[str, tuple[Callable, Callable]] = {
    "minimax": (minimax_discriminator_loss, minimax_generator_loss),
    "non_saturating": (minimax_discriminator_loss, non_saturating_generator_loss),
    "least_squares": (least_squares_discriminator_loss, least_squares_generator_loss),
    "hinge": (hinge_discriminator_loss, hinge_generator_loss),
    "wasserstein": (wasserstein_discriminator_loss, wasserstein_generator_loss),
}


def get_adversarial_losses(name: str) -> tuple[Callable, Callable]:
    """Returns `(discriminator_loss, generator_loss)` for a loss name."""
    if name not in ADVERSARIAL_LOSSES:
        raise ValueError(
            f"Unknown adversarial loss {name!r}. Expected one of {sorted(ADVERSARIAL_LOSSES)}."
        )
    return ADVERSARIAL_LOSSES[name]
