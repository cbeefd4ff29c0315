"""Pix2PixHD batches: `(label ids, instance ids, photos)`, and label maps made from photos.

The reference's instance maps follow Cityscapes: a pixel of a countable class holds
`class * 1000 + k` (k-th instance of that class), other pixels hold their class id.
"""

from __future__ import annotations

import numpy as np


def label_maps_from_photos(photos, label_nc: int) -> tuple[np.ndarray, np.ndarray]:
    """Label and instance maps [N, H, W] int32 from photos [N, H, W, 3] in [-1, 1].

    Labels: the luma cut into `label_nc` equal bands (a stand-in segmentation for tests
    and demos). Instances: Cityscapes-style `label * 1000 + k`, k the image half (left 0,
    right 1), so each labelled region splits into two instances; label 0 is "stuff", one
    region with id 0.
    """
    photos = np.asarray(photos, "float32")
    if photos.ndim != 4 or photos.shape[-1] != 3:
        raise ValueError(f"Expected photos [N, H, W, 3]. Received: shape {photos.shape}")
    luma = (photos @ np.array([0.299, 0.587, 0.114], "float32") + 1.0) * 0.5
    labels = np.clip((luma * int(label_nc)).astype("int32"), 0, int(label_nc) - 1)
    half = (np.arange(photos.shape[2]) >= photos.shape[2] // 2).astype("int32")
    instances = np.where(labels > 0, labels * 1000 + half[None, None, :], 0)
    return labels, instances.astype("int32")


def unpack_batch(data, needs_instances: bool):
    """`(labels, instances or None, photos)` from `(labels, instances, photos)` or, where no
    instance map is used, `(labels, photos)`."""
    if isinstance(data, dict):
        return data["labels"], data.get("instances"), data["photos"]
    if isinstance(data, (tuple, list)):
        data = tuple(data)
        while data and data[-1] is None:  # Keras' (x, y, sample_weight=None)
            data = data[:-1]
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
        raise ValueError(
            "Pix2PixHD trains on batches (labels, instances, photos): int label ids [N, H, W], "
            "int instance ids [N, H, W] and photos [N, H, W, C] in [-1, 1]. "
            f"Received: {type(data).__name__} of {len(data) if hasattr(data, '__len__') else '?'}"
        )
    if len(data) == 2:
        if needs_instances:
            raise ValueError(
                "This Pix2PixHD uses instance maps (use_instance or instance_feat): batches must "
                "be (labels, instances, photos). Received: (labels, photos)"
            )
        return data[0], None, data[1]
    return tuple(data)
