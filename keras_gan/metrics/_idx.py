"""A tiny reader for the gzip IDX files Fashion-MNIST ships as (private to `metrics`)."""

import gzip
import os

import numpy as np

DEFAULT_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str) -> np.ndarray:
    """Reads one IDX file (gzip-compressed or plain) into a numpy array."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(f"Not an IDX file: {path!r}. Received header bytes: {data[:4]!r}")
    ndim = data[3]
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    array = np.frombuffer(data, _IDX_DTYPES[data[2]], offset=4 + 4 * ndim)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"IDX file {path!r} holds {array.size} values; its header says {shape}.")
    return array.reshape(shape).astype(array.dtype.newbyteorder("="))


def load_fashion_mnist(split: str, data_dir: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Returns `(images uint8 [N, 28, 28], labels uint8 [N])` for split `"train"` or `"test"`.

    `data_dir` defaults to `$KERAS_GAN_FASHION_MNIST_DIR`, else the Debian package's folder.
    """
    prefixes = {"train": "train", "test": "t10k"}
    if split not in prefixes:
        raise ValueError(f"`split` must be 'train' or 'test'. Received: split={split!r}")
    data_dir = data_dir or os.environ.get("KERAS_GAN_FASHION_MNIST_DIR", DEFAULT_FASHION_MNIST_DIR)
    prefix = os.path.join(data_dir, prefixes[split])
    images = read_idx(f"{prefix}-images-idx3-ubyte.gz")
    labels = read_idx(f"{prefix}-labels-idx1-ubyte.gz")
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{images.shape[0]} images but {labels.shape[0]} labels in {data_dir!r}.")
    return images, labels
