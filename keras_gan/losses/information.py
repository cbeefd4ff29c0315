"""Auxiliary losses of the conditional families (ACGAN's classifier, InfoGAN's codes)."""

import tensorflow as tf


def auxiliary_classifier_loss(labels, class_logits):
    """ACGAN: mean sparse softmax cross-entropy of the auxiliary classifier."""
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=tf.cast(class_logits, tf.float32)
        )
    )


def categorical_mutual_information_loss(codes, code_logits):
    """InfoGAN: cross-entropy of the sampled categorical code under Q(c|x).

    Minimising it maximises the variational lower bound on I(c; G(z, c)) (the
    constant entropy H(c) is dropped). `codes` are integer ids [N].
    """
    return auxiliary_classifier_loss(codes, code_logits)


def continuous_mutual_information_loss(codes, code_means):
    """InfoGAN's continuous codes with a unit-variance Gaussian Q: 0.5 * mean squared error.

    Equals the Gaussian negative log-likelihood up to a constant; summed over code
    dimensions and averaged over the batch.
    """
    diff = tf.cast(codes, tf.float32) - tf.cast(code_means, tf.float32)
    return 0.5 * tf.reduce_mean(tf.reduce_sum(tf.square(diff), axis=-1))
