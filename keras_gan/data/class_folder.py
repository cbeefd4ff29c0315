"""Conditional image folders: one sub-folder per class, labels from sorted folder names."""

from __future__ import annotations

import os

import tensorflow as tf

from keras_gan.data.checks import (
    check_batch_size,
    check_channels,
    check_directory,
    normalize_image_size,
)
from keras_gan.data.image_files import (
    IMAGE_EXTENSIONS,
    check_readable,
    list_image_files,
    warn_unreadable,
)
from keras_gan.data.pipeline import image_file_dataset


def class_folder_dataset(
    directory: str | os.PathLike,
    image_size: int | tuple[int, int],
    channels: int = 3,
    batch_size: int = 64,
    shuffle: bool = True,
    flip: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
    repeat: bool = False,
) -> tuple[tf.data.Dataset, list[str]]:
    """Batches of `(images, labels)` from a folder with one sub-folder per class.

    Class names are the sub-folder names sorted, and label `i` is `class_names[i]`.
    Images inside a class folder may sit in nested folders. Reading, checking, decoding
    and augmentation are as in `image_folder_dataset`; unreadable files are skipped and
    counted in one `CorruptImageWarning` for the whole folder.

    Args:
        directory: the folder holding one sub-folder per class.
        image_size, channels, batch_size, shuffle, flip, seed, drop_remainder, repeat:
            as in `image_folder_dataset`.

    Returns:
        `(dataset, class_names)`: the dataset yields float32 images
        `[batch_size, height, width, channels]` in `[-1, 1]` and int32 labels
        `[batch_size]`; `class_names` is the sorted list of sub-folder names.

    Raises:
        ValueError: on a missing directory, no class sub-folders, images outside class
            sub-folders, a class sub-folder without readable images, or bad
            `image_size`, `channels` or `batch_size`.
    """
    directory = check_directory(directory)
    size = normalize_image_size(image_size)
    channels = check_channels(channels)
    batch_size = check_batch_size(batch_size)

    entries = sorted(e for e in os.listdir(directory) if not e.startswith("."))
    class_names = [e for e in entries if os.path.isdir(os.path.join(directory, e))]
    loose = [
        e
        for e in entries
        if e.lower().endswith(IMAGE_EXTENSIONS) and os.path.isfile(os.path.join(directory, e))
    ]
    if not class_names or loose:
        found = f"found {len(loose)} image(s) directly in it and {len(class_names)} sub-folder(s)"
        raise ValueError(
            f"labels missing: expected one subfolder per class in {directory!r}, "
            f"with every image inside a class subfolder; {found}."
        )

    paths, labels = [], []
    for label, name in enumerate(class_names):
        class_paths = list_image_files(os.path.join(directory, name))
        if not class_paths:
            raise ValueError(
                f"Class subfolder {name!r} in {directory!r} is empty: expected images ending "
                f"in {', '.join(IMAGE_EXTENSIONS)}."
            )
        paths.extend(class_paths)
        labels.extend([label] * len(class_paths))

    readable = check_readable(paths)
    bad = [p for p, ok in zip(paths, readable, strict=True) if not ok]
    readable_labels = {y for y, ok in zip(labels, readable, strict=True) if ok}
    for label, name in enumerate(class_names):
        if label not in readable_labels:
            raise ValueError(
                f"Class subfolder {name!r} in {directory!r} has no readable images: all are "
                "corrupt or not images; expected at least one readable image per class."
            )
    if bad:
        warn_unreadable(bad, directory, stacklevel=2)
    paths = [p for p, ok in zip(paths, readable, strict=True) if ok]
    labels = [y for y, ok in zip(labels, readable, strict=True) if ok]
    dataset = image_file_dataset(
        paths, labels, size, channels, batch_size, shuffle, flip, seed, drop_remainder, repeat
    )
    return dataset, class_names
