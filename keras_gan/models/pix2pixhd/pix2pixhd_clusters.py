"""Per-class clusters of the encoded instance features, for picking an object's appearance.

As the reference's `encode_features.py` and `sample_features`: the encoder's (instance-
averaged) features of every training instance are gathered per class, instances smaller
than half of 1/32 of the image dropped, and k-means (K 10, at most one cluster per
instance) run per class; at inference each instance gets one of its class's centres. The
reference picks a random centre per instance; ours takes the one asked for (by instance
id, or by class id for every instance of the class), else one drawn with `seed`. Our
k-means is Lloyd's algorithm from a k-means++ start in NumPy (the reference calls
scikit-learn's `KMeans(random_state=0)`).
"""

from __future__ import annotations

import numpy as np

N_CLUSTERS = 10
_BLOCKS = 32  # the reference's block_num: areas are counted in 1/32 of the image


def instance_class(instance_id: int) -> int:
    """The class of a Cityscapes-style instance id (`class * 1000 + k`, or the class)."""
    return int(instance_id) if instance_id < 1000 else int(instance_id) // 1000


def instance_features(features: np.ndarray, instances: np.ndarray) -> dict[int, np.ndarray]:
    """Class -> rows [features..., relative area] of each instance of each example.

    `features` [N, H, W, F] are the encoder's (constant per instance); the area is the
    reference's `pixels / (H * W // 32)`.
    """
    found: dict[int, list] = {}
    height, width = instances.shape[1:3]
    for feature, ids in zip(features, instances, strict=True):
        for instance_id in np.unique(ids):
            mask = ids == instance_id
            row = np.append(feature[mask].mean(0), mask.sum() / (height * width // _BLOCKS))
            found.setdefault(instance_class(instance_id), []).append(row)
    return {label: np.asarray(rows, "float32") for label, rows in found.items()}


def kmeans(points: np.ndarray, k: int, seed: int = 0, iterations: int = 100) -> np.ndarray:
    """`k` centres [k, D] of `points` [n, D] (k <= n): k-means++ start, Lloyd steps."""
    points = np.asarray(points, "float64")
    rng = np.random.default_rng(seed)
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        distance = np.min([np.sum((points - c) ** 2, 1) for c in centres], axis=0)
        total = distance.sum()
        index = (
            rng.choice(len(points), p=distance / total) if total > 0 else rng.integers(len(points))
        )
        centres.append(points[index])
    centres = np.asarray(centres)
    for _ in range(iterations):
        nearest = np.argmin(((points[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        moved = np.array(
            [points[nearest == j].mean(0) if np.any(nearest == j) else centres[j] for j in range(k)]
        )
        if np.allclose(moved, centres):
            break
        centres = moved
    return centres.astype("float32")


def cluster_features(
    rows_by_class: dict[int, np.ndarray], n_clusters: int = N_CLUSTERS, seed: int = 0
) -> dict[int, np.ndarray]:
    """Class -> centres [min(K, instances), F] of its instances covering over half a block."""
    if int(n_clusters) < 1:
        raise ValueError(f"n_clusters must be >= 1. Received: n_clusters={n_clusters}")
    centres = {}
    for label, rows in sorted(rows_by_class.items()):
        kept = rows[rows[:, -1] > 0.5, :-1]
        if len(kept):
            centres[label] = kmeans(kept, min(len(kept), int(n_clusters)), seed)
    return centres


def pick(clusters: dict[int, np.ndarray], instance_id: int, choices: dict, rng):
    """The centre an instance gets: `choices[instance_id]`, else `choices[class]`, else a
    random one; None where its class has no clusters."""
    label = instance_class(instance_id)
    if label not in clusters:
        return None
    centres = clusters[label]
    index = choices.get(int(instance_id), choices.get(label))
    if index is None:
        index = int(rng.integers(len(centres)))
    if not 0 <= int(index) < len(centres):
        raise ValueError(
            f"Class {label} has {len(centres)} feature clusters. Received: cluster {index} "
            f"for instance {instance_id}"
        )
    return centres[int(index)]


def features_from_clusters(
    clusters: dict[int, np.ndarray],
    instances: np.ndarray,
    feat_num: int,
    choices: dict | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Feature maps [N, H, W, feat_num]: each instance painted with its cluster centre
    (zeros where its class has no clusters)."""
    choices = {int(key): int(value) for key, value in (choices or {}).items()}
    rng = np.random.default_rng(seed)
    features = np.zeros((*instances.shape, int(feat_num)), "float32")
    for b, ids in enumerate(instances):
        for instance_id in np.unique(ids):
            centre = pick(clusters, int(instance_id), choices, rng)
            if centre is not None:
                features[b][ids == instance_id] = centre
    return features


def class_features(
    clusters: dict[int, np.ndarray], label_nc: int, feat_num: int, choices: dict | None = None
) -> np.ndarray:
    """[label_nc, feat_num]: per class its chosen centre (default 0), zeros without clusters:
    the exported network's `class_features` input."""
    choices = {int(key): int(value) for key, value in (choices or {}).items()}
    table = np.zeros((int(label_nc), int(feat_num)), "float32")
    for label, centres in clusters.items():
        if 0 <= label < label_nc:
            table[label] = centres[min(choices.get(label, 0), len(centres) - 1)]
    return table


def to_config(clusters: dict | None) -> dict | None:
    """JSON form: {"class": [[...], ...]}."""
    if not clusters:
        return None
    return {str(int(k)): np.asarray(v, "float32").tolist() for k, v in sorted(clusters.items())}


def from_config(config: dict | None, feat_num: int) -> dict[int, np.ndarray]:
    """Class -> centres [k, feat_num] from `to_config`'s form (or int keys), checked."""
    clusters = {}
    for key, centres in (config or {}).items():
        centres = np.asarray(centres, "float32")
        if centres.ndim != 2 or centres.shape[1] != int(feat_num) or not len(centres):
            raise ValueError(
                f"feature_clusters[{key!r}] must be centres [k, {feat_num}]. Received: shape "
                f"{centres.shape}"
            )
        clusters[int(key)] = centres
    return clusters
