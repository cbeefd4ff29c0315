import gzip
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data.fashion_mnist import (
    DEFAULT_FASHION_MNIST_DIR,
    FASHION_MNIST_CLASSES,
    FASHION_MNIST_DIR_ENV,
    fashion_mnist_dataset,
    fashion_mnist_dir,
    load_fashion_mnist,
)
from keras_gan.data.idx_files_test import idx_bytes

INSTALLED = os.path.isfile(os.path.join(DEFAULT_FASHION_MNIST_DIR, "t10k-labels-idx1-ubyte.gz"))
needs_files = pytest.mark.skipif(
    not INSTALLED, reason="apt-get install dataset-fashion-mnist to run this test"
)


@pytest.fixture(autouse=True)
def _no_env_override(monkeypatch):
    monkeypatch.delenv(FASHION_MNIST_DIR_ENV, raising=False)


def _write_split(directory, split, images, labels, compress=True):
    prefix = "train" if split == "train" else "t10k"
    for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
        data = idx_bytes(array)
        name = f"{prefix}-{kind}-ubyte"
        if compress:
            (directory / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (directory / name).write_bytes(data)


def test_class_names():
    assert len(FASHION_MNIST_CLASSES) == 10
    assert FASHION_MNIST_CLASSES[0] == "T-shirt/top" and FASHION_MNIST_CLASSES[9] == "Ankle boot"


@needs_files
@pytest.mark.parametrize("split, count", [("train", 60000), ("test", 10000)])
def test_load_real_files(split, count):
    images, labels = load_fashion_mnist(split)
    assert images.shape == (count, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (count,) and labels.dtype == np.int64
    assert labels.min() == 0 and labels.max() == 9
    assert np.bincount(labels).tolist() == [count // 10] * 10  # perfectly balanced
    assert images.max() == 255 and images.min() == 0


@needs_files
def test_dataset_images_shapes_and_range():
    dataset = fashion_mnist_dataset("test", batch_size=32, limit=100, seed=0)
    assert dataset.element_spec.shape.as_list() == [32, 28, 28, 1]
    batches = [b.numpy() for b in dataset]
    assert len(batches) == 3  # 100 // 32
    values = np.concatenate(batches)
    assert values.dtype == np.float32
    assert values.min() == -1.0 and values.max() == 1.0


@needs_files
def test_dataset_with_labels_resized_and_unshuffled():
    images, labels = load_fashion_mnist("test")
    dataset = fashion_mnist_dataset(
        "test",
        batch_size=16,
        image_size=32,
        with_labels=True,
        shuffle=False,
        limit=40,
        drop_remainder=False,
    )
    batches = list(dataset)
    assert [len(y) for _, y in batches] == [16, 16, 8]
    x, y = batches[0]
    assert x.shape == (16, 32, 32, 1) and x.dtype == tf.float32
    assert y.dtype == tf.int32
    np.testing.assert_array_equal(np.concatenate([y.numpy() for _, y in batches]), labels[:40])
    assert x.numpy().min() >= -1.0 and x.numpy().max() <= 1.0


@needs_files
def test_dataset_at_28_matches_loader_exactly():
    images, _ = load_fashion_mnist("test")
    batch = next(iter(fashion_mnist_dataset("test", batch_size=8, shuffle=False, limit=8)))
    np.testing.assert_allclose(batch.numpy()[..., 0], images[:8] / 127.5 - 1, atol=1e-6)


@needs_files
def test_dataset_flip_and_seed_reproducible():
    kwargs = dict(split="test", batch_size=50, limit=100, flip=True, seed=7)
    first = np.concatenate([b.numpy() for b in fashion_mnist_dataset(**kwargs)])
    second = np.concatenate([b.numpy() for b in fashion_mnist_dataset(**kwargs)])
    np.testing.assert_array_equal(first, second)
    repeated = fashion_mnist_dataset("test", batch_size=50, limit=100, repeat=True)
    assert len(list(repeated.take(5))) == 5


def test_missing_directory_names_package(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError) as info:
        load_fashion_mnist("train", data_dir=missing)
    message = str(info.value)
    assert str(missing) in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert FASHION_MNIST_DIR_ENV in message and "\n" not in message
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist"):
        fashion_mnist_dataset(data_dir=missing, limit=4)


def test_env_variable_and_plain_files(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (20, 28, 28), dtype=np.uint8)
    labels = np.arange(20, dtype=np.uint8) % 10
    _write_split(tmp_path, "test", images, labels, compress=False)
    monkeypatch.setenv(FASHION_MNIST_DIR_ENV, str(tmp_path))
    assert fashion_mnist_dir() == str(tmp_path)
    loaded, loaded_labels = load_fashion_mnist("test")
    np.testing.assert_array_equal(loaded, images)
    np.testing.assert_array_equal(loaded_labels, labels)
    dataset = fashion_mnist_dataset("test", batch_size=5, with_labels=True, flip=True, seed=0)
    assert len(list(dataset)) == 4
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        load_fashion_mnist("train")  # only the test split was written


def test_default_directory():
    assert fashion_mnist_dir() == "/usr/share/datasets/fashion-mnist"


def test_corrupt_file_named(tmp_path):
    images = np.zeros((4, 28, 28), np.uint8)
    _write_split(tmp_path, "train", images, np.zeros(4, np.uint8))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz"):
        load_fashion_mnist("train", data_dir=tmp_path)


def test_mismatched_counts_and_bad_labels(tmp_path):
    _write_split(tmp_path, "train", np.zeros((4, 28, 28), np.uint8), np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match="4 images .* 3 labels"):
        load_fashion_mnist("train", data_dir=tmp_path)
    _write_split(tmp_path, "train", np.zeros((2, 28, 28), np.uint8), np.array([1, 12], np.uint8))
    with pytest.raises(ValueError, match="label 12"):
        load_fashion_mnist("train", data_dir=tmp_path)
    _write_split(tmp_path, "train", np.zeros((2, 14, 14), np.uint8), np.array([1, 2], np.uint8))
    with pytest.raises(ValueError, match=r"expected \(28, 28\)"):
        load_fashion_mnist("train", data_dir=tmp_path)


@pytest.mark.parametrize(
    "kwargs, key",
    [
        (dict(split="validation"), "split"),
        (dict(batch_size=0), "batch_size"),
        (dict(image_size=-1), "image_size"),
        (dict(limit=0), "limit"),
    ],
)
def test_bad_arguments(kwargs, key, tmp_path):
    with pytest.raises(ValueError, match=key):
        fashion_mnist_dataset(**kwargs, data_dir=tmp_path)
