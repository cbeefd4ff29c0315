"""Fashion-MNIST (Zalando, 28x28 grayscale, 10 classes) from its local IDX files.

The files come from the Debian package `dataset-fashion-mnist`, which installs them in
`/usr/share/datasets/fashion-mnist`; nothing is downloaded.
"""

from __future__ import annotations

import os

import numpy as np
import tensorflow as tf

from keras_gan.data.augment import resize_images, scale_to_unit_range
from keras_gan.data.checks import check_batch_size, normalize_image_size
from keras_gan.data.idx_files import read_idx
from keras_gan.data.pipeline import flip_and_prefetch, shuffle_and_repeat

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
"""Class names; label `i` is `FASHION_MNIST_CLASSES[i]`."""

FASHION_MNIST_DIR_ENV = "KERAS_GAN_FASHION_MNIST_DIR"
DEFAULT_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"

_FILE_PREFIX = {"train": "train", "test": "t10k"}


def load_fashion_mnist(
    split: str = "train", data_dir: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Loads one split of Fashion-MNIST as NumPy arrays.

    Reads `train-images-idx3-ubyte` / `train-labels-idx1-ubyte` (or the `t10k-` files for
    `"test"`), each gzipped (`.gz`) or plain, and checks their IDX headers and sizes.

    Args:
        split: `"train"` (60000 examples) or `"test"` (10000 examples).
        data_dir: the folder holding the files. Defaults to the environment variable
            `KERAS_GAN_FASHION_MNIST_DIR`, else `/usr/share/datasets/fashion-mnist`.

    Returns:
        `(images, labels)`: uint8 `[N, 28, 28]` and int64 `[N]` with values in 0..9.

    Raises:
        FileNotFoundError: when the files are not in the folder (the message says how to
            install them).
        ValueError: on a bad `split`, or a corrupt file (the message names it).
    """
    if split not in _FILE_PREFIX:
        raise ValueError(f"`split` must be 'train' or 'test'. Received: split={split!r}")
    directory = fashion_mnist_dir(data_dir)
    prefix = _FILE_PREFIX[split]
    images_path = _find_file(directory, f"{prefix}-images-idx3-ubyte")
    labels_path = _find_file(directory, f"{prefix}-labels-idx1-ubyte")
    images = read_idx(images_path, ndim=3)
    labels = read_idx(labels_path, ndim=1)
    if images.shape[1:] != (28, 28):
        raise ValueError(
            f"Corrupt Fashion-MNIST file {images_path!r}: images of shape {images.shape[1:]}, "
            "expected (28, 28)."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"Fashion-MNIST files disagree: {len(images)} images in {images_path!r} but "
            f"{len(labels)} labels in {labels_path!r}; expected the same number."
        )
    if labels.size and labels.max() >= len(FASHION_MNIST_CLASSES):
        raise ValueError(
            f"Corrupt Fashion-MNIST file {labels_path!r}: label {int(labels.max())}, "
            f"expected labels in 0..{len(FASHION_MNIST_CLASSES) - 1}."
        )
    return images, labels.astype(np.int64)


def fashion_mnist_dataset(
    split: str = "train",
    batch_size: int = 64,
    image_size: int | tuple[int, int] = 28,
    with_labels: bool = False,
    shuffle: bool = True,
    flip: bool = False,
    seed: int | None = None,
    drop_remainder: bool = True,
    limit: int | None = None,
    data_dir: str | os.PathLike | None = None,
    repeat: bool = False,
) -> tf.data.Dataset:
    """Batches of Fashion-MNIST images `[B, S, S, 1]`, float32 in `[-1, 1]`.

    Images are batched first, then resized (bilinear, antialiased; skipped at 28) and
    scaled as whole batches, which is much faster than per image.

    Args:
        split: `"train"` or `"test"`.
        batch_size: images per batch.
        image_size: an int (square) or a `(height, width)` pair; 28 keeps the originals.
        with_labels: yield `(images, labels int32 [B])` instead of images.
        shuffle: shuffle all examples, again every epoch.
        flip: flip each image horizontally with probability 1/2.
        seed: makes shuffling and flips reproducible.
        drop_remainder: drop the last batch when smaller than `batch_size`.
        limit: keep only the first `limit` examples (quick runs and tests).
        data_dir: the folder of the IDX files; see `load_fashion_mnist`.
        repeat: repeat forever (use `steps_per_epoch` in `fit`).

    Returns:
        A `tf.data.Dataset` of images, or of `(images, labels)` when `with_labels`.

    Raises:
        FileNotFoundError, ValueError: as `load_fashion_mnist`; also `ValueError` on bad
            `batch_size`, `image_size` or `limit`.
    """
    batch_size = check_batch_size(batch_size)
    size = normalize_image_size(image_size)
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0):
        raise ValueError(f"`limit` must be None or a positive int. Received: limit={limit!r}")
    images, labels = load_fashion_mnist(split, data_dir)
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    images = images[..., None]

    if with_labels:
        dataset = tf.data.Dataset.from_tensor_slices((images, labels.astype(np.int32)))
    else:
        dataset = tf.data.Dataset.from_tensor_slices(images)
    dataset = shuffle_and_repeat(dataset, len(images), shuffle, seed, repeat)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)

    def to_unit_range(batch):
        return scale_to_unit_range(resize_images(batch, size))

    if with_labels:
        dataset = dataset.map(
            lambda x, y: (to_unit_range(x), y), num_parallel_calls=tf.data.AUTOTUNE
        )
    else:
        dataset = dataset.map(to_unit_range, num_parallel_calls=tf.data.AUTOTUNE)
    return flip_and_prefetch(dataset, flip, seed)


def fashion_mnist_dir(data_dir: str | os.PathLike | None = None) -> str:
    """Returns the Fashion-MNIST folder: `data_dir`, else the env variable, else the default."""
    if data_dir is not None:
        return os.fspath(data_dir)
    return os.environ.get(FASHION_MNIST_DIR_ENV) or DEFAULT_FASHION_MNIST_DIR


def _find_file(directory: str, name: str) -> str:
    for candidate in (name + ".gz", name):
        path = os.path.join(directory, candidate)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        f"Fashion-MNIST file {name}[.gz] not found in {directory!r}: install it with "
        f"`apt-get install dataset-fashion-mnist` or set {FASHION_MNIST_DIR_ENV} to the "
        "folder holding the IDX files."
    )
