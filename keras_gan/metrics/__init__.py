"""Evaluation metrics: FID/KID-style distances on InceptionV3, VGG16 or Fashion-MNIST features,
the Inception Score, PSNR, SSIM and LPIPS (functions and Keras metrics)."""

from keras_gan.metrics.fashion_classifier import (
    build_fashion_classifier,
    default_classifier_path,
    evaluate_fashion_classifier,
    fashion_features,
    load_classifier_report,
    load_fashion_classifier,
    train_fashion_classifier,
)
from keras_gan.metrics.feature_extractors import (
    FEATURE_EXTRACTORS,
    class_probabilities,
    feature_extractor,
)
from keras_gan.metrics.frechet import (
    FrechetDistance,
    feature_statistics,
    frechet_distance,
    frechet_distance_from_features,
)
from keras_gan.metrics.image_metrics import LPIPS, PSNR, SSIM
from keras_gan.metrics.image_quality import psnr, ssim
from keras_gan.metrics.inception import (
    PrepareImages,
    find_inception_weights,
    inception_features,
    inception_probabilities,
    inception_score,
)
from keras_gan.metrics.kernel_distance import KernelDistance, kernel_distance

# Binds `keras_gan.metrics.lpips` to the function; the module is `sys.modules[...]` / importlib.
from keras_gan.metrics.lpips import LPIPSDistance, lpips

__all__ = [
    "FEATURE_EXTRACTORS",
    "LPIPS",
    "PSNR",
    "SSIM",
    "FrechetDistance",
    "KernelDistance",
    "LPIPSDistance",
    "PrepareImages",
    "build_fashion_classifier",
    "class_probabilities",
    "default_classifier_path",
    "evaluate_fashion_classifier",
    "fashion_features",
    "feature_extractor",
    "feature_statistics",
    "frechet_distance",
    "find_inception_weights",
    "frechet_distance_from_features",
    "inception_features",
    "inception_probabilities",
    "inception_score",
    "kernel_distance",
    "load_classifier_report",
    "load_fashion_classifier",
    "lpips",
    "psnr",
    "ssim",
    "train_fashion_classifier",
]
