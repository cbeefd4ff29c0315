"""Judging a trained generator with an independent classifier and its features.

Used by `bench/quality.py` and the quality tests: whether conditional samples are
recognised as their class, whether unconditional samples cover every class, and
the Fréchet distance of samples to real images in a feature space.
"""

import numpy as np

from keras_gan.metrics.frechet import frechet_distance_from_features


def predicted_classes(classifier, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """The classifier's top-1 class for each image (images in [-1, 1])."""
    logits = classifier.predict(images, batch_size=batch_size, verbose=0)
    return np.argmax(logits, axis=-1)


def conditional_accuracy(model, classifier, n: int = 1000, seed: int = 0) -> float:
    """Fraction of `model.generate(n, labels=...)` samples the classifier assigns to their label.

    Labels cycle through 0..K-1, so every class is asked for equally often.
    """
    if not getattr(model, "num_classes", None):
        raise ValueError(f"{type(model).__name__} is not class-conditional.")
    labels = np.arange(n) % model.num_classes
    images = model.generate(n, seed=seed, labels=labels)
    return float(np.mean(predicted_classes(classifier, images) == labels))


def class_histogram(model, classifier, n: int = 1000, seed: int = 0, num_classes: int = 10):
    """Counts of the classifier's predictions over `n` unconditional samples."""
    images = model.generate(n, seed=seed)
    return np.bincount(predicted_classes(classifier, images), minlength=num_classes)


def generator_frechet(
    model, feature_model, reference_features: np.ndarray, n: int = 5000, seed: int = 0
) -> float:
    """Fréchet distance between features of `n` samples and `reference_features`."""
    images = model.generate(n, seed=seed)
    features = feature_model.predict(images, batch_size=500, verbose=0)
    return frechet_distance_from_features(features, reference_features)


def classes_present(histogram: np.ndarray, min_share: float = 0.01) -> int:
    """Number of classes holding at least `min_share` of the predictions in `histogram`."""
    histogram = np.asarray(histogram)
    total = histogram.sum()
    return int(np.sum(histogram >= min_share * total)) if total > 0 else 0
