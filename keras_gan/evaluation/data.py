"""What `evaluate_model` reads from a folder (or Fashion-MNIST) for each family."""

from __future__ import annotations

import os

import numpy as np

from keras_gan.data.splits import folder_splits, paired_splits, split_folder, unpaired_splits
from keras_gan.evaluation.metric_names import family_kind


def load_images(
    directory: str | os.PathLike, channels: int = 3, limit: int | None = None
) -> list[np.ndarray]:
    """Every readable image under `directory` (sorted, recursively) as float32 in [-1, 1].

    Unreadable files are skipped with one `CorruptImageWarning` naming them.

    Raises:
        FileNotFoundError: when `directory` is not a folder.
        ValueError: when it holds no readable image.
    """
    from keras_gan.data.image_files import load_image, readable_image_files

    if not os.path.isdir(directory):
        raise FileNotFoundError(f"No such folder: {os.fspath(directory)!r}")
    paths = readable_image_files(os.fspath(directory), stacklevel=3)[:limit]
    return [load_image(path, channels).astype("float32") / 127.5 - 1.0 for path in paths]


def load_evaluation_data(model, data: str, limit: int | None = None):
    """What `evaluate_model` needs for `model`'s family, read from a folder.

    `data` is a folder (or `fashion-mnist`, its test split, for noise-to-image models); see
    the module docstring for what each family reads.
    """
    kind = family_kind(model)
    if kind == "noise":
        return _real_images(model, data, limit)
    if data == "fashion-mnist":
        raise ValueError(
            f"--data fashion-mnist is for noise-to-image models, not {type(model).__name__}: "
            "pass a folder of images."
        )
    if not os.path.isdir(data):
        raise FileNotFoundError(f"No such folder: {data!r}")
    if kind == "paired":
        from keras_gan.data.paired import paired_examples

        channels = (model.input_channels, model.output_channels)
        if model.direction == "BtoA":
            channels = channels[::-1]
        return paired_examples(
            data,
            image_size=model.image_size,
            channels=channels,
            direction=model.direction,
            limit=limit,
            split=paired_splits(data).held_out,
        )
    if kind == "unpaired":  # CycleGAN: testA -> testB
        from keras_gan.data.unpaired import unpaired_examples

        split = unpaired_splits(data).held_out or "train"
        # Each side in its own domain's channels, so outputs and references agree.
        channels = (getattr(model, "channels_a", 3), getattr(model, "channels_b", 3))
        return unpaired_examples(
            data, split=split, image_size=model.image_size, channels=channels, limit=limit
        )
    return load_images(split_folder(data, folder_splits(data).held_out), 3, limit)


def _real_images(model, data: str, limit: int | None) -> np.ndarray:
    import tensorflow as tf

    height, width, channels = model.generator.output_shape[1:]
    if data == "fashion-mnist":
        from keras_gan.data import load_fashion_mnist

        images, _ = load_fashion_mnist("test")
        images = images[:limit].astype("float32") / 127.5 - 1.0
        if images.ndim == 3:
            images = images[..., None]
    else:
        images = load_images(split_folder(data, folder_splits(data).held_out), channels, limit)
    resized = [
        image
        if image.shape[:2] == (height, width)
        else np.asarray(tf.image.resize(image, (height, width), "area"))
        for image in images
    ]
    return np.stack(resized).astype("float32")
