"""Evaluation metrics: Fréchet distance, the Fashion-MNIST feature classifier, PSNR and SSIM."""

from keras_gan.metrics.fashion_classifier import (
    build_fashion_classifier,
    default_classifier_path,
    evaluate_fashion_classifier,
    fashion_features,
    load_classifier_report,
    load_fashion_classifier,
    train_fashion_classifier,
)
from keras_gan.metrics.frechet import (
    FrechetDistance,
    feature_statistics,
    frechet_distance,
    frechet_distance_from_features,
)
from keras_gan.metrics.image_quality import psnr, ssim

__all__ = [
    "FrechetDistance",
    "build_fashion_classifier",
    "default_classifier_path",
    "evaluate_fashion_classifier",
    "fashion_features",
    "feature_statistics",
    "frechet_distance",
    "frechet_distance_from_features",
    "load_classifier_report",
    "load_fashion_classifier",
    "psnr",
    "ssim",
    "train_fashion_classifier",
]
