"""Scores of image sets: distances between feature distributions, means over image pairs."""

from __future__ import annotations

import numpy as np

from keras_gan.evaluation.metric_names import (
    DISTRIBUTION_METRICS,
    REFERENCE_METRICS,
    check_metrics,
)


def _groups_by_shape(images) -> list[tuple[list[int], np.ndarray]]:
    """`(indices, stacked images)` per distinct image shape, for arrays or lists of any sizes."""
    if isinstance(images, np.ndarray) and images.ndim == 4:
        return [(list(range(len(images))), images)]
    groups: dict[tuple, list[int]] = {}
    for index, image in enumerate(images):
        groups.setdefault(np.shape(image), []).append(index)
    return [
        (indices, np.stack([np.asarray(images[i], "float32") for i in indices]))
        for indices in groups.values()
    ]


def image_features(network, images, batch_size: int = 100) -> np.ndarray:
    """`network`'s outputs `[N, D]` for images in [-1, 1], an array or a list of any sizes."""
    rows: list = [None] * len(images)
    for indices, batch in _groups_by_shape(images):
        values = np.asarray(network.predict(batch, batch_size=batch_size, verbose=0))
        for index, value in zip(indices, values, strict=True):
            rows[index] = value
    return np.stack(rows).astype("float64")


def distribution_scores(
    metrics,
    real_features: np.ndarray,
    generated_features: np.ndarray,
    generated_probabilities: np.ndarray | None = None,
    seed: int = 0,
) -> dict[str, float]:
    """`frechet`, `kid` (its mean) and `inception_score` (its mean) of the generated set.

    Args:
        metrics: names among `DISTRIBUTION_METRICS`.
        real_features, generated_features: `[N, D]` and `[M, D]` features.
        generated_probabilities: `[M, K]` class probabilities, for `inception_score`.
        seed: the seed of KID's random subsets.
    """
    scores = {}
    for metric in check_metrics(metrics, DISTRIBUTION_METRICS):
        if metric == "frechet":
            from keras_gan.metrics import frechet_distance_from_features

            scores[metric] = frechet_distance_from_features(real_features, generated_features)
        elif metric == "kid":
            from keras_gan.metrics import kernel_distance

            size = min(1000, len(real_features), len(generated_features))
            mean, _ = kernel_distance(
                real_features, generated_features, num_subsets=100, subset_size=size, seed=seed
            )
            scores[metric] = float(mean)
        else:
            from keras_gan.metrics import inception_score

            splits = max(1, min(10, len(generated_probabilities) // 2))
            scores[metric] = float(inception_score(generated_probabilities, splits=splits)[0])
    return scores


def reference_scores(
    metrics,
    outputs,
    targets,
    y_channel: bool = False,
    shave: int = 0,
    lpips_batch_size: int = 8,
) -> dict[str, float]:
    """Means over image pairs of `psnr`, `ssim` (`keras_gan.metrics`) and `lpips`.

    Args:
        metrics: names among `REFERENCE_METRICS`.
        outputs, targets: images in [-1, 1], arrays `[N, H, W, C]` or lists of `[H, W, C]`
            (a pair's two images have the same shape; pairs may differ).
        y_channel, shave: PSNR and SSIM on BT.601 luma, without `shave` border pixels.
    """
    if len(outputs) != len(targets) or not len(outputs):
        raise ValueError(
            f"outputs and targets must be as many, at least one. Received: {len(outputs)} "
            f"outputs, {len(targets)} targets"
        )
    scores = {}
    for metric in check_metrics(metrics, REFERENCE_METRICS):
        if metric == "lpips":
            from keras_gan.metrics import lpips

            values = np.zeros(len(outputs))
            for indices, batch in _groups_by_shape(outputs):
                reference = np.stack([np.asarray(targets[i], "float32") for i in indices])
                values[indices] = lpips(batch, reference, batch_size=lpips_batch_size)
        else:
            from keras_gan.metrics import psnr, ssim

            function = psnr if metric == "psnr" else ssim
            values = [
                function(output, target, y_channel=y_channel, shave=shave)
                for output, target in zip(outputs, targets, strict=True)
            ]
        scores[metric] = float(np.mean(values))
    return scores


def resolve_extractor(extractor, purpose: str = "features"):
    """A feature network (or class-probability network) from a name or a model."""
    if not isinstance(extractor, str):
        return extractor
    from keras_gan.metrics import class_probabilities, feature_extractor

    return feature_extractor(extractor) if purpose == "features" else class_probabilities(extractor)
