"""Regularisers of the discriminator, as pure functions of gradients or weights.

Only a model's `train_step` opens a `GradientTape`: it computes the gradient of
the discriminator output with respect to its input and passes it here.
"""

import tensorflow as tf


def _per_sample_squared_norm(gradients):
    gradients = tf.cast(gradients, tf.float32)
    flat = tf.reshape(tf.square(gradients), [tf.shape(gradients)[0], -1])
    return tf.reduce_sum(flat, axis=1)


def gradient_penalty(gradients, target_norm: float = 1.0):
    """WGAN-GP (Gulrajani et al.): mean over samples of (||grad||_2 - target)^2.

    `gradients` is dD/dx evaluated at random interpolates between real and
    generated samples, shape [N, ...].
    """
    norms = tf.sqrt(_per_sample_squared_norm(gradients) + 1e-12)
    return tf.reduce_mean(tf.square(norms - target_norm))


def r1_penalty(gradients):
    """R1 (Mescheder et al.): mean over samples of ||dD(x)/dx||^2 on real data.

    The conventional factor gamma / 2 belongs to the caller's weight.
    """
    return tf.reduce_mean(_per_sample_squared_norm(gradients))


def interpolate(real, fake, epsilon):
    """x_hat = eps * real + (1 - eps) * fake, with `epsilon` of shape [N, 1, ..., 1]."""
    epsilon = tf.cast(epsilon, real.dtype)
    return epsilon * real + (1.0 - epsilon) * tf.cast(fake, real.dtype)
