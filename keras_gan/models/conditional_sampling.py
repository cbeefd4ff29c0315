"""Label handling shared by the class-conditional families (CGAN, ACGAN)."""

import numpy as np

from keras_gan.models.replica_random import offset_seed, replica_integers


def sample_class_latents(model, batch_size, seed) -> dict:
    latents = {"z": model.base_sample_latents(batch_size, seed)["z"]}
    latents["labels"] = replica_integers(batch_size, model.num_classes, offset_seed(seed, 50))
    return latents


def class_sampling_inputs(model, n: int, seed=None, labels=None) -> dict:
    """z from `seed` and labels: given, or 0, 1, ..., K-1 repeated."""
    if labels is None:
        labels = np.arange(n) % model.num_classes
    labels = np.asarray(labels).reshape(-1)
    if labels.shape[0] != n:
        raise ValueError(f"Expected {n} labels, one per sample. Received: {labels.shape[0]}.")
    if labels.size and (labels.min() < 0 or labels.max() >= model.num_classes):
        raise ValueError(
            f"labels must be in [0, {model.num_classes}). Received values from "
            f"{labels.min()} to {labels.max()}."
        )
    return {"z": model.sample_z(n, seed), "labels": labels.astype("int32")}
