"""The DTN losses (Taigman et al. 2017, eqs. 3-7), pure functions of tensors.

D sees three kinds of image and classifies them: 0 = G(x) for x in the source domain,
1 = G(x) for x in the target domain, 2 = a real target image.
"""

from __future__ import annotations

import tensorflow as tf

from keras_gan.models.dtn.dtn_networks import SOURCE_FAKE, TARGET_FAKE, TARGET_REAL


def _cross_entropy(logits, label: int):
    logits = tf.cast(logits, tf.float32)
    labels = tf.fill(tf.shape(logits)[:1], label)
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    )


def three_way_discriminator_loss(source_fake_logits, target_fake_logits, real_logits):
    """L_D: each kind of image classified as itself (mean cross-entropy, summed over kinds)."""
    return (
        _cross_entropy(source_fake_logits, SOURCE_FAKE)
        + _cross_entropy(target_fake_logits, TARGET_FAKE)
        + _cross_entropy(real_logits, TARGET_REAL)
    )


def three_way_generator_loss(source_fake_logits, target_fake_logits):
    """L_GANG: both kinds of G output classified as real target images."""
    return _cross_entropy(source_fake_logits, TARGET_REAL) + _cross_entropy(
        target_fake_logits, TARGET_REAL
    )


def mean_squared_distance(a, b):
    """d(a, b) of the digits experiment: the mean squared difference."""
    return tf.reduce_mean(tf.square(tf.cast(a, tf.float32) - tf.cast(b, tf.float32)))


def isotropic_total_variation(images, exponent: float = 1.0):
    """L_TV (eq. 7): mean over pixels of ((z[i,j+1]-z[i,j])^2 + (z[i+1,j]-z[i,j])^2)^(B/2).

    `exponent` is the paper's B (1 in its experiments); a tiny offset keeps the
    gradient finite where an image is flat.
    """
    images = tf.cast(images, tf.float32)
    if images.shape.rank != 4:
        raise ValueError(f"Expected images [N, H, W, C]. Received: shape {images.shape}")
    across = images[:, :-1, 1:] - images[:, :-1, :-1]
    down = images[:, 1:, :-1] - images[:, :-1, :-1]
    return tf.reduce_mean(tf.pow(tf.square(across) + tf.square(down) + 1e-8, exponent / 2.0))
