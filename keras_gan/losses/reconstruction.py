"""Reconstruction terms: the L1 of pix2pix and the cycle and identity losses of CycleGAN."""

import tensorflow as tf


def mean_absolute_error(target, prediction):
    """Mean |target - prediction| over every pixel and channel, in float32."""
    return tf.reduce_mean(tf.abs(tf.cast(target, tf.float32) - tf.cast(prediction, tf.float32)))
