"""StarGAN's domain-classification loss (solver.py `classification_loss`), as pure functions."""

import tensorflow as tf

LABEL_MODES = ("one_hot", "attributes")


def check_label_mode(label_mode: str) -> str:
    if label_mode not in LABEL_MODES:
        raise ValueError(f"label_mode must be one of {LABEL_MODES}. Received: {label_mode!r}")
    return label_mode


def domain_classification_losses(logits, targets, label_mode: str):
    """Per-example classification losses [N] of domain logits [N, K] against targets [N, K].

    `attributes`: sigmoid cross-entropy summed over the K attributes (the reference's
    `binary_cross_entropy_with_logits(size_average=False) / N` is the batch mean of
    these); `one_hot`: softmax cross-entropy against one-hot targets (the mean of these
    is the reference's `cross_entropy`).
    """
    logits = tf.cast(logits, tf.float32)
    targets = tf.cast(targets, tf.float32)
    if check_label_mode(label_mode) == "attributes":
        terms = tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
        return tf.reduce_sum(terms, axis=-1)
    return tf.nn.softmax_cross_entropy_with_logits(labels=targets, logits=logits)


def domain_classification_loss(logits, targets, label_mode: str):
    """The batch's classification loss: the mean of `domain_classification_losses`."""
    return tf.reduce_mean(domain_classification_losses(logits, targets, label_mode))
