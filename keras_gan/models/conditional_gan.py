"""The label plumbing shared by the class-conditional families (CGAN, ACGAN)."""

import numpy as np

from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.models.replica_random import offset_seed, replica_integers


class ClassConditionalGAN(DCGAN):
    """A DCGAN whose generator takes `[z, labels]`; the data yields `(images, labels)`.

    Training draws fake labels uniformly; `generate(n, labels=...)` draws the
    classes asked for (default 0, 1, ..., K-1 repeated). Subclasses say how the
    discriminator uses the label.
    """

    def __init__(self, num_classes: int = 10, **kwargs):
        if int(num_classes) < 2:
            raise ValueError(f"num_classes must be >= 2. Received: num_classes={num_classes}")
        super().__init__(num_classes=int(num_classes), **kwargs)
        self.num_classes = int(num_classes)

    def generator_classes(self, kwargs):
        return kwargs["num_classes"]

    def gan_kwargs(self, kwargs):
        return {k: v for k, v in kwargs.items() if k != "num_classes"}

    def sample_latents(self, batch_size, seed):
        latents = super().sample_latents(batch_size, seed)
        latents["labels"] = replica_integers(batch_size, self.num_classes, offset_seed(seed, 50))
        return latents

    def generator_inputs(self, latents):
        return [latents["z"], latents["labels"]]

    def sampling_inputs(self, n, seed=None, labels=None):
        """z from `seed` and labels: given, or 0, 1, ..., K-1 repeated."""
        if labels is None:
            labels = np.arange(n) % self.num_classes
        labels = np.asarray(labels).reshape(-1)
        if labels.shape[0] != n:
            raise ValueError(f"Expected {n} labels, one per sample. Received: {labels.shape[0]}.")
        if labels.min() < 0 or labels.max() >= self.num_classes:
            raise ValueError(
                f"labels must be in [0, {self.num_classes}). Received values from "
                f"{labels.min()} to {labels.max()}."
            )
        return {"z": self.sample_z(n, seed), "labels": labels.astype("int32")}

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}
