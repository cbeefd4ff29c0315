"""`ImageGenerator`: the task of the noise -> image families (DCGAN ... InfoGAN)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from keras_gan.tasks.run_data import RunData
from keras_gan.tasks.task import Task

if TYPE_CHECKING:
    import tensorflow as tf

    from keras_gan.run.config import RunConfig

FASHION_MNIST = "fashion-mnist"


def is_fashion_mnist(data: str) -> bool:
    """Whether `data` names Fashion-MNIST: `fashion-mnist` or a folder of its idx files."""
    if str(data).lower().replace("_", "-") == FASHION_MNIST:
        return True
    path = Path(data)
    return path.is_dir() and any(path.glob("train-images-idx3-ubyte*"))


def noise_dataset(
    data: str,
    image_size: int,
    channels: int,
    batch_size: int,
    conditional: bool,
    seed: int = 0,
) -> tf.data.Dataset:
    """Fashion-MNIST (`fashion-mnist` or its idx folder) or an image folder, batched.

    Conditional families read one subfolder per class and get `(images, labels)`.
    """
    from keras_gan.data import class_folder_dataset, fashion_mnist_dataset, image_folder_dataset

    if is_fashion_mnist(data):
        if channels != 1:
            raise ValueError(
                f"Fashion-MNIST is grayscale: channels must be 1. Received: {channels}"
            )
        data_dir = None if str(data).lower().replace("_", "-") == FASHION_MNIST else data
        return fashion_mnist_dataset(
            "train",
            batch_size=batch_size,
            image_size=image_size,
            with_labels=conditional,
            seed=seed,
            data_dir=data_dir,
        )
    if conditional:
        dataset, _ = class_folder_dataset(
            data, image_size, channels=channels, batch_size=batch_size, seed=seed
        )
        return dataset
    return image_folder_dataset(
        data, image_size, channels=channels, batch_size=batch_size, seed=seed
    )


class ImageGenerator(Task):
    """Noise -> image: `predict_images(n, seed)` draws `n` images; exports take latents.

    The model provides `generator`, `sampling_generator`, `latent_dim`, `num_classes`,
    `sampling_inputs(n, seed, **kwargs)`, `generator_inputs(latents)` and `grid_columns()`.
    """

    task: ClassVar[str] = "image_generator"
    evaluation_kind: ClassVar[str] = "noise"
    tiny_config: ClassVar[dict] = dict(latent_dim=8, image_size=28, channels=1, base_filters=4)

    def predict_images(
        self, n: int, seed: int | None = None, batch_size: int = 256, **kwargs
    ) -> np.ndarray:
        """`n` images [n, H, W, C], float32 in [-1, 1]; the same `seed` draws the same images.

        `kwargs` are the family's sampling inputs (`labels=` for class-conditional
        families, `codes=` / `continuous=` for InfoGAN).
        """
        if int(n) < 1:
            raise ValueError(f"n must be >= 1. Received: n={n}")
        inputs = self.generator_inputs(self.sampling_inputs(int(n), seed, **kwargs))
        outputs = self.sampling_generator.predict(inputs, batch_size=batch_size, verbose=0)
        return np.asarray(outputs, dtype="float32")

    def generate(self, n: int, seed: int | None = None, batch_size: int = 256, **kwargs):
        """Alias of `predict_images`."""
        return self.predict_images(n, seed=seed, batch_size=batch_size, **kwargs)

    def export_spec(self, direction: str | None = None):
        from keras_gan.export.network import noise_export_network

        if direction is not None:
            raise ValueError(
                f"{type(self).__name__} generates from noise: direction does not apply. "
                f"Received: direction={direction!r}"
            )
        return noise_export_network(self)

    # ---------------------------------------------------------------- runs
    @classmethod
    def run_model_kwargs(cls, data: str, config: RunConfig) -> dict:
        kwargs = super().run_model_kwargs(data, config)
        if config.channels is not None:
            kwargs["channels"] = config.channels
        if is_fashion_mnist(data) and not config.preset:
            kwargs.setdefault("image_size", 28)
            kwargs.setdefault("channels", 1)
        return kwargs

    def run_data(self, data: str, config: RunConfig) -> RunData:
        data = os.fspath(data)
        if not is_fashion_mnist(data):  # train/ of a split folder; its test/ is held out
            from keras_gan.data.splits import folder_splits, split_folder

            data = split_folder(data, folder_splits(data).train)
        shape = self.generator.output.shape
        dataset = noise_dataset(
            data,
            int(shape[1]),
            int(shape[-1]),
            config.batch_size,
            conditional=bool(self.num_classes),
            seed=config.seed,
        )
        return RunData(
            train=dataset.repeat() if config.steps else dataset,
            steps_per_epoch=config.steps,
        )

    def evaluation_callbacks(self, data: str, config: RunConfig, run_data: RunData) -> list:
        """`--eval-every`: `QualityEvaluation` of samples against held-out real images."""
        from keras_gan.callbacks.quality_evaluation import QualityEvaluation
        from keras_gan.evaluation import check_metrics, default_features, load_evaluation_data

        data = FASHION_MNIST if is_fashion_mnist(data) else os.fspath(data)
        return [
            QualityEvaluation(
                load_evaluation_data(self, data, limit=config.eval_samples),
                metrics=check_metrics(config.eval_metrics),
                every_n_epochs=config.eval_every,
                num_samples=config.eval_samples,
                feature_extractor=default_features(self),
            )
        ]

    def sample_callback(self, directory, examples=None, seed: int = 0):
        from keras_gan.callbacks import SampleGrid

        columns = self.grid_columns()
        return SampleGrid(directory, n=columns * 8 if columns else 64, seed=seed)
