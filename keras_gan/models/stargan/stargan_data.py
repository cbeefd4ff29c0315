"""StarGAN's data: CelebA's attribute file, class folders and Fashion-MNIST as domains."""

from __future__ import annotations

import os

import numpy as np

# The reference's default `--selected_attrs`.
DEFAULT_ATTRIBUTES = ("Black_Hair", "Blond_Hair", "Brown_Hair", "Male", "Young")
ATTRIBUTE_FILE = "list_attr_celeba.txt"


def read_attribute_file(
    path: str | os.PathLike, selected: tuple[str, ...] | list[str] = DEFAULT_ATTRIBUTES
) -> tuple[list[str], np.ndarray]:
    """CelebA's `list_attr_celeba.txt`: `(file names, float32 [N, len(selected)] in {0, 1})`.

    The format: line 1 the number of images, line 2 the attribute names, then one line
    per image, its file name and a value `1` or `-1` per attribute. A value is 1 where
    it is `1` (as the reference's `values[idx] == '1'`).

    Raises:
        ValueError: one line naming the file and line, for a bad count, an unknown
            selected attribute, a line with the wrong number of values or a value
            other than 1 / -1.
    """
    path = os.fspath(path)
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle]
    if len(lines) < 2 or not lines[0].strip().isdigit():
        raise ValueError(f"{path}:1: expected the number of images. Received: {lines[:1]!r}")
    names = lines[1].split()
    missing = [name for name in selected if name not in names]
    if missing:
        raise ValueError(f"{path}:2: no attribute {missing} among {names}.")
    index = [names.index(name) for name in selected]
    files, labels = [], []
    for number, line in enumerate(lines[2:], start=3):
        fields = line.split()
        if not fields:
            continue
        values = fields[1:]
        if len(values) != len(names) or any(v not in ("1", "-1") for v in values):
            raise ValueError(
                f"{path}:{number}: expected a file name and {len(names)} values of 1 or -1. "
                f"Received: {line[:120]!r}"
            )
        files.append(fields[0])
        labels.append([values[i] == "1" for i in index])
    if int(lines[0]) != len(files):
        raise ValueError(f"{path}:1: says {int(lines[0])} images; the file lists {len(files)}.")
    return files, np.asarray(labels, "float32").reshape(len(files), len(index))


def class_names(directory: str) -> list[str]:
    """Sorted sub-folder names (one domain each), as `class_folder_dataset` labels them."""
    return sorted(
        e
        for e in os.listdir(directory)
        if not e.startswith(".") and os.path.isdir(os.path.join(directory, e))
    )


def class_folder_examples(
    directory: str, size: int, channels: int, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Up to `limit` images of a class folder, spread over the classes: float32, int labels."""
    import tensorflow as tf

    from keras_gan.data.image_files import list_image_files, load_image

    per_class = [
        sorted(list_image_files(os.path.join(directory, n))) for n in class_names(directory)
    ]
    picked = []
    for rank in range(max(map(len, per_class), default=0)):
        picked += [
            (label, files[rank]) for label, files in enumerate(per_class) if rank < len(files)
        ]
    images, labels = [], []
    for label, path in picked[:limit]:
        image = load_image(path, channels).astype("float32") / 127.5 - 1.0
        images.append(np.asarray(tf.image.resize(image, (size, size), "area")))
        labels.append(label)
    return np.stack(images).astype("float32"), np.asarray(labels, "int32")


def fashion_examples(size: int, limit: int, split: str = "test") -> tuple[np.ndarray, np.ndarray]:
    """The first `limit` Fashion-MNIST images of `split` at `size`, with their labels."""
    import tensorflow as tf

    from keras_gan.data import load_fashion_mnist

    images, labels = load_fashion_mnist(split)
    images = images[:limit, ..., None].astype("float32") / 127.5 - 1.0
    if size != 28:
        images = tf.image.resize(images, (size, size)).numpy()
    return images.astype("float32"), labels[:limit].astype("int32")
