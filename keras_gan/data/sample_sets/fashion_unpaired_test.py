import gzip
import json
import os

import numpy as np
import pytest
from PIL import Image

from keras_gan.data.fashion_mnist import DEFAULT_FASHION_MNIST_DIR, FASHION_MNIST_DIR_ENV
from keras_gan.data.idx_files_test import idx_bytes
from keras_gan.data.sample_sets.fashion_unpaired import build_fashion_unpaired
from keras_gan.data.unpaired import unpaired_dataset

INSTALLED = os.path.isfile(os.path.join(DEFAULT_FASHION_MNIST_DIR, "t10k-labels-idx1-ubyte.gz"))


@pytest.fixture
def fake_fashion_dir(tmp_path):
    """Tiny IDX files: each image is filled with its own index (train) or 200 + index (test)."""
    directory = tmp_path / "fashion"
    directory.mkdir()
    for prefix, count, base in (("train", 40, 0), ("t10k", 20, 200)):
        images = np.stack([np.full((28, 28), base + i, np.uint8) for i in range(count)])
        labels = (np.arange(count) % 10).astype(np.uint8)
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            data = gzip.compress(idx_bytes(array))
            (directory / f"{prefix}-{kind}-ubyte.gz").write_bytes(data)
    return directory


def _pixels(folder):
    return {name: np.asarray(Image.open(folder / name)) for name in sorted(os.listdir(folder))}


def test_writes_four_folders_from_the_right_splits_and_classes(tmp_path, fake_fashion_dir):
    out = tmp_path / "out"
    manifest = build_fashion_unpaired(
        out, "sneaker", 9, per_class_train=3, per_class_test=2, data_dir=fake_fashion_dir
    )
    assert manifest["class_a"] == "Sneaker" and manifest["class_b"] == "Ankle boot"
    assert manifest["counts"] == {"trainA": 3, "trainB": 3, "testA": 2, "testB": 2}
    assert json.loads((out / "manifest.json").read_text()) == manifest
    for folder, label, base in (("trainA", 7, 0), ("trainB", 9, 0), ("testA", 7, 200)):
        images = _pixels(out / folder)
        assert len(images) == manifest["counts"][folder]
        for name, image in images.items():
            index = int(name.split(".")[0])
            assert index % 10 == label and index in manifest["indices"][folder]
            assert image.shape == (32, 32) and image.dtype == np.uint8
            assert abs(int(image[16, 16]) - (base + index)) <= 1  # a flat image stays flat
    dataset = unpaired_dataset(out, image_size=16, channels=1, batch_size=3)
    assert dataset.element_spec[0].shape.as_list() == [3, 16, 16, 1]


def test_seed_and_keep_28(tmp_path, fake_fashion_dir):
    kwargs = dict(per_class_train=2, per_class_test=1, image_size=28, data_dir=fake_fashion_dir)
    first = build_fashion_unpaired(tmp_path / "a", seed=1, **kwargs)
    second = build_fashion_unpaired(tmp_path / "b", seed=1, **kwargs)
    assert first["indices"] == second["indices"]
    image = next(iter(_pixels(tmp_path / "a" / "trainA").values()))
    assert image.shape == (28, 28)


def test_errors_write_nothing(tmp_path, fake_fashion_dir):
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=r"test split has 2 images of 'Sneaker'.*per_class_test=3"):
        build_fashion_unpaired(out, per_class_test=3, data_dir=fake_fashion_dir, per_class_train=1)
    assert not out.exists()
    with pytest.raises(ValueError, match="must differ"):
        build_fashion_unpaired(out, "Bag", 8, data_dir=fake_fashion_dir)
    with pytest.raises(ValueError, match=r"class name .*Received: class_b='Boots'"):
        build_fashion_unpaired(out, class_b="Boots", data_dir=fake_fashion_dir)
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist"):
        build_fashion_unpaired(out, data_dir=tmp_path / "nothing")


def test_existing_output_needs_overwrite(tmp_path, fake_fashion_dir):
    kwargs = dict(per_class_train=2, per_class_test=1, data_dir=fake_fashion_dir)
    build_fashion_unpaired(tmp_path, **kwargs)
    with pytest.raises(ValueError, match=r"already holds files.*overwrite=True"):
        build_fashion_unpaired(tmp_path, **kwargs)
    build_fashion_unpaired(tmp_path, overwrite=True, seed=3, **kwargs)
    assert len(os.listdir(tmp_path / "trainB")) == 2


@pytest.mark.skipif(not INSTALLED, reason="apt-get install dataset-fashion-mnist to run this test")
def test_real_fashion_mnist(tmp_path, monkeypatch):
    monkeypatch.delenv(FASHION_MNIST_DIR_ENV, raising=False)
    manifest = build_fashion_unpaired(tmp_path, per_class_train=4, per_class_test=2)
    assert manifest["counts"]["trainA"] == 4
    image = np.asarray(Image.open(next((tmp_path / "testB").iterdir())))
    assert image.shape == (32, 32) and image.max() > 100  # a boot, not a blank
