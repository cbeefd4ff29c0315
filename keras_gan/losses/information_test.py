"""ACGAN and InfoGAN auxiliary losses against hand-computed cross-entropies."""

import math

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.losses.information import (
    auxiliary_classifier_loss,
    categorical_mutual_information_loss,
    continuous_mutual_information_loss,
)

LOGITS = [[2.0, -1.0, 0.5], [0.0, 0.0, 3.0]]
LABELS = [0, 2]


def hand_cross_entropy(labels, logits):
    total = 0.0
    for label, row in zip(labels, logits, strict=True):
        log_partition = math.log(sum(math.exp(v) for v in row))
        total += log_partition - row[label]
    return total / len(labels)


def test_auxiliary_classifier_loss_is_softmax_cross_entropy():
    # Sample 0: -log(e^2 / (e^2 + e^-1 + e^0.5)); sample 1: -log(e^3 / (1 + 1 + e^3)).
    expected = (
        -math.log(math.exp(2) / (math.exp(2) + math.exp(-1) + math.exp(0.5)))
        - math.log(math.exp(3) / (2 + math.exp(3)))
    ) / 2
    assert expected == pytest.approx(hand_cross_entropy(LABELS, LOGITS))
    loss = auxiliary_classifier_loss(LABELS, LOGITS)
    assert loss.shape == () and loss.dtype == tf.float32
    assert float(loss) == pytest.approx(expected, rel=1e-6)


def test_auxiliary_classifier_loss_accepts_column_labels_and_other_dtypes():
    expected = hand_cross_entropy(LABELS, LOGITS)
    column = tf.constant([[0], [2]], tf.int64)
    assert float(auxiliary_classifier_loss(column, LOGITS)) == pytest.approx(expected, rel=1e-6)
    float_labels = np.array([0.0, 2.0], np.float32)
    half_logits = tf.constant(LOGITS, tf.float16)
    loss = auxiliary_classifier_loss(float_labels, half_logits)
    assert loss.dtype == tf.float32
    assert float(loss) == pytest.approx(expected, rel=1e-3)


def test_auxiliary_classifier_loss_uniform_logits_is_log_num_classes():
    loss = auxiliary_classifier_loss([0, 3, 9], tf.zeros((3, 10)))
    assert float(loss) == pytest.approx(math.log(10.0), rel=1e-6)


def test_auxiliary_classifier_loss_large_logits_stay_finite():
    # Confidently wrong: cross-entropy -> 200 (the gap between the logits).
    loss = auxiliary_classifier_loss([1], [[100.0, -100.0]])
    assert float(loss) == pytest.approx(200.0, rel=1e-6)
    assert float(auxiliary_classifier_loss([0], [[100.0, -100.0]])) == pytest.approx(0.0, abs=1e-30)


def test_categorical_mutual_information_loss_equals_cross_entropy():
    expected = hand_cross_entropy(LABELS, LOGITS)
    loss = categorical_mutual_information_loss(LABELS, LOGITS)
    assert float(loss) == pytest.approx(expected, rel=1e-6)


def test_continuous_mutual_information_loss_is_half_mean_sum_of_squares():
    codes = [[1.0, 2.0], [0.0, -1.0]]
    means = [[0.0, 0.0], [1.0, 1.0]]
    # diffs [1, 2] and [-1, -2] -> sums of squares 5 and 5 -> 0.5 * 5
    loss = continuous_mutual_information_loss(codes, means)
    assert loss.shape == () and loss.dtype == tf.float32
    assert float(loss) == pytest.approx(2.5)
    # Summed over code dimensions, averaged over samples: 0.5 * mean(0.25 + 1, 0) = 0.3125
    loss = continuous_mutual_information_loss([[0.5, 1.0], [0.0, 0.0]], tf.zeros((2, 2)))
    assert float(loss) == pytest.approx(0.5 * (0.25 + 1.0 + 0.0) / 2)


def test_continuous_mutual_information_loss_is_gaussian_nll_up_to_a_constant():
    rng = np.random.default_rng(3)
    codes = rng.normal(size=(6, 3)).astype(np.float32)
    means = rng.normal(size=(6, 3)).astype(np.float32)
    # -log N(c; mu, I) = 0.5 * ||c - mu||^2 + (d / 2) log(2 pi)
    nll = np.mean(0.5 * np.sum((codes - means) ** 2, axis=1) + 1.5 * math.log(2 * math.pi))
    loss = continuous_mutual_information_loss(codes, means)
    assert float(loss) + 1.5 * math.log(2 * math.pi) == pytest.approx(nll, rel=1e-5)
    assert float(continuous_mutual_information_loss(codes, codes)) == 0.0
