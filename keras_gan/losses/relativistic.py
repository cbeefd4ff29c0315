"""The relativistic average GAN losses (Jolicoeur-Martineau, 2018) as ESRGAN uses them.

The relativistic average discriminator asks how much more realistic a real image
is than the fakes on average: `D_Ra(x_r, x_f) = sigmoid(C(x_r) - mean(C(x_f)))`,
with `C` the raw discriminator output (logits). Both losses are binary
cross-entropies on these relative logits, with the labels swapped for the
generator, which therefore gets gradients from the real images' term as well.

Following ESRGAN's official code, each loss is the mean of its two cross-entropy
terms (the paper writes their sum; the loss weights were tuned with the mean).
Means are over every element of the logits (one per image for a global
discriminator, one per patch for a patch discriminator).
"""

import tensorflow as tf


def _relative_logits(real_logits, fake_logits):
    real_logits = tf.cast(real_logits, tf.float32)
    fake_logits = tf.cast(fake_logits, tf.float32)
    real_vs_fake = real_logits - tf.reduce_mean(fake_logits)
    fake_vs_real = fake_logits - tf.reduce_mean(real_logits)
    return real_vs_fake, fake_vs_real


def relativistic_average_discriminator_loss(real_logits, fake_logits):
    """`-(log D_Ra(x_r, x_f) + log(1 - D_Ra(x_f, x_r))) / 2`, averaged; a scalar.

    Args:
        real_logits: discriminator logits of real images.
        fake_logits: discriminator logits of generated images.
    """
    real_vs_fake, fake_vs_real = _relative_logits(real_logits, fake_logits)
    # -log(sigmoid(l)) = softplus(-l) and -log(1 - sigmoid(l)) = softplus(l).
    real_term = tf.reduce_mean(tf.nn.softplus(-real_vs_fake))
    fake_term = tf.reduce_mean(tf.nn.softplus(fake_vs_real))
    return 0.5 * (real_term + fake_term)


def relativistic_average_generator_loss(real_logits, fake_logits):
    """`-(log(1 - D_Ra(x_r, x_f)) + log D_Ra(x_f, x_r)) / 2`, averaged; a scalar.

    Args:
        real_logits: discriminator logits of real images (no gradient is needed
            through them; the generator's gradient flows through `fake_logits`).
        fake_logits: discriminator logits of generated images.
    """
    real_vs_fake, fake_vs_real = _relative_logits(real_logits, fake_logits)
    real_term = tf.reduce_mean(tf.nn.softplus(real_vs_fake))
    fake_term = tf.reduce_mean(tf.nn.softplus(-fake_vs_real))
    return 0.5 * (real_term + fake_term)
