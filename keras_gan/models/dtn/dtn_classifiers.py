"""The two digit classifiers of the DTN digits run: f's pretraining, and the judge.

- f is pretrained as the reimplementation does (`pretrain` mode): f with a 1x1 conv
  head to ten logits, softmax cross-entropy, Adam(3e-4), on the *source* training split
  only; the head is then dropped and f frozen.
- The judge never sees the source domain: a small conv net trained on the *target*
  training split only (with small shifts, rotations and zooms), used to read the digit
  in G(held-out source digits), as the paper's MNIST classifier does.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.dtn.dtn_networks import build_digit_classifier


def _batches(images, labels, batch_size: int, seed: int) -> tf.data.Dataset:
    data = tf.data.Dataset.from_tensor_slices((images, labels.astype("int32")))
    data = data.shuffle(len(images), seed=seed, reshuffle_each_iteration=True).repeat()
    return data.batch(batch_size, drop_remainder=True).prefetch(2)


def accuracy(classifier: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """The share of `images` whose argmax logit is their label."""
    logits = classifier.predict(np.asarray(images, "float32"), batch_size=256, verbose=0)
    return float(np.mean(np.argmax(logits, axis=-1) == np.asarray(labels)))


def pretrain_f(
    f: keras.Model,
    images: np.ndarray,
    labels: np.ndarray,
    steps: int,
    batch_size: int = 100,
    seed: int = 0,
) -> keras.Model:
    """Trains `f` (in place) with a 10-way head on labelled source digits; returns the
    classifier (f + head). f is left frozen (`trainable=False`) afterwards."""
    keras.utils.set_random_seed(seed)
    f.trainable = True
    classifier = build_digit_classifier(f)
    classifier.compile(
        keras.optimizers.Adam(3e-4),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    if steps > 0:
        classifier.fit(_batches(images, labels, batch_size, seed), steps_per_epoch=steps, verbose=0)
    f.trainable = False
    return classifier


def build_judge(image_size: int = 32, channels: int = 1, name: str = "judge") -> keras.Model:
    """A small conv net (32-64-128 filters, dropout) reading a digit: logits [N, 10]."""
    images = keras.Input((image_size, image_size, channels), name="images")
    x = keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", fill_value=-1.0)(images)
    x = keras.layers.RandomRotation(0.04, fill_mode="constant", fill_value=-1.0)(x)
    x = keras.layers.RandomZoom(0.1, fill_mode="constant", fill_value=-1.0)(x)
    for filters in (32, 64, 128):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Dropout(0.3)(keras.layers.GlobalAveragePooling2D()(x))
    return keras.Model(images, keras.layers.Dense(10)(x), name=name)


def train_judge(
    images: np.ndarray, labels: np.ndarray, steps: int = 1500, seed: int = 0
) -> keras.Model:
    """The judge, trained on target-domain digits only (Adam(1e-3), batch 64)."""
    keras.utils.set_random_seed(seed)
    judge = build_judge(images.shape[1], images.shape[-1])
    judge.compile(
        keras.optimizers.Adam(1e-3),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    judge.fit(_batches(images, labels, 64, seed), steps_per_epoch=steps, verbose=0)
    return judge
