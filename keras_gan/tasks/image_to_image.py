"""`ImageToImage`: the task of the image -> image families (Pix2Pix ... StyleTransfer)."""

from __future__ import annotations

from typing import ClassVar

import keras
import numpy as np

from keras_gan.tasks.task import Task


class ImageToImage(Task):
    """Image -> image: `predict_images(images)` maps images in [-1, 1] to images in [-1, 1].

    Class attributes and properties a family may override:
        scale: output side / input side (super-resolution), 1 otherwise.
        size_multiple: input sides the network takes are multiples of this.
        num_styles: style inputs of the network (style transfer), 1 otherwise.
    """

    task: ClassVar[str] = "image_to_image"
    scale: int = 1
    size_multiple: int = 1
    num_styles: int = 1
    sample_columns: int = 3  # images per row of `sample_rows` (input | output | target)

    def prediction_sheet(self, image: np.ndarray) -> np.ndarray | None:
        """What `keras-gan predict` writes for one uint8 image [H, W, C], where a family
        writes more than its network's output (a multi-domain family: input | each target
        domain); None (the default): the network's output, padded and tiled as usual."""
        return None

    def export_network_for(self, direction: str | None) -> tuple[keras.Model, str | None]:
        """The network an export writes, and its direction (CycleGAN's `AtoB` / `BtoA`)."""
        if direction is not None:
            raise ValueError(
                f"{type(self).__name__} has one generator: direction applies to CycleGAN only. "
                f"Received: direction={direction!r}"
            )
        return self.sampling_generator, None

    def export_spec(self, direction: str | None = None):
        from keras_gan.export.network import DEFAULT_SIDE, check_direction, image_export_network

        network, direction = self.export_network_for(check_direction(direction))
        return image_export_network(
            network,
            family=type(self).__name__,
            scale=int(self.scale or 1),
            multiple=int(self.size_multiple or 1),
            natural_size=int(getattr(self, "image_size", None) or DEFAULT_SIDE),
            num_styles=int(self.num_styles or 1),
            direction=direction,
        )

    def evaluation_callbacks(self, data: str, config, run_data) -> list:
        """`--eval-every`: the family's held-out score every n epochs (`val_<metric>`)."""
        from keras_gan.callbacks.held_out_scores import HeldOutScores

        if run_data.held_out is None:
            raise ValueError(
                f"--eval-every needs a held-out split, and {data} has none: put the data "
                "in train/ and test/ (or val/) folders."
            )
        return [HeldOutScores(run_data.held_out, self.held_out_metric, config.eval_every)]

    def sample_callback(self, directory, examples, seed: int = 0):
        from keras_gan.callbacks import TranslationGrid

        inputs, targets = examples
        side = int(np.asarray(inputs).shape[1])
        return TranslationGrid(directory, inputs, targets, scale=max(1, 128 // side))
