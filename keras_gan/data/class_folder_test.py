import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data.class_folder import class_folder_dataset
from keras_gan.data.image_files import CorruptImageWarning

COLORS = {"cat": (255, 0, 0), "dog": (0, 255, 0), "zebra": (0, 0, 255)}


@pytest.fixture
def class_folder(tmp_path, make_image):
    root = tmp_path / "classes"
    counts = {"zebra": 3, "cat": 5, "dog": 4}
    for name, count in counts.items():
        for i in range(count):
            sub = "deeper" if i == 0 else ""
            path = os.path.join(root, name, sub, f"{i}.png")
            make_image(path, np.full((9 + i, 7, 3), COLORS[name], np.uint8))
    return root


def test_labels_match_folder_names(class_folder):
    dataset, class_names = class_folder_dataset(class_folder, 6, batch_size=4, seed=3)
    assert class_names == ["cat", "dog", "zebra"]
    images_spec, labels_spec = dataset.element_spec
    assert images_spec.shape.as_list() == [4, 6, 6, 3] and images_spec.dtype == tf.float32
    assert labels_spec.shape.as_list() == [4] and labels_spec.dtype == tf.int32
    seen = []
    for images, labels in dataset:
        images, labels = images.numpy(), labels.numpy()
        assert images.min() >= -1.0 and images.max() <= 1.0
        for image, label in zip(images, labels, strict=True):
            expected = np.array(COLORS[class_names[label]]) / 127.5 - 1
            np.testing.assert_allclose(image.reshape(-1, 3), np.tile(expected, (36, 1)), atol=1e-6)
            seen.append(int(label))
    assert len(seen) == 12  # 3 batches of 4


def test_all_examples_counted_per_class(class_folder):
    dataset, _ = class_folder_dataset(class_folder, 4, batch_size=5, drop_remainder=False)
    labels = np.concatenate([y.numpy() for _, y in dataset])
    assert np.bincount(labels).tolist() == [5, 4, 3]


def test_grayscale_channels(class_folder):
    dataset, _ = class_folder_dataset(class_folder, (5, 3), channels=1, batch_size=2)
    images, _ = next(iter(dataset))
    assert images.shape == (2, 5, 3, 1)


def test_corrupt_files_skipped_with_one_warning(class_folder, make_corrupt_files):
    make_corrupt_files(str(class_folder / "cat"))
    make_corrupt_files(str(class_folder / "dog"))
    with pytest.warns(CorruptImageWarning, match=r"Skipped 6 unreadable image file\(s\)") as rec:
        dataset, _ = class_folder_dataset(class_folder, 4, batch_size=1, drop_remainder=False)
    assert len(rec) == 1
    assert rec[0].filename == __file__
    labels = np.concatenate([y.numpy() for _, y in dataset])
    assert np.bincount(labels).tolist() == [5, 4, 3]


def test_no_subfolders_means_labels_missing(tmp_path, make_image):
    make_image(str(tmp_path / "a.png"), np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match=r"labels missing: expected one subfolder per class in"):
        class_folder_dataset(tmp_path, 4)


def test_images_outside_class_subfolders(class_folder, make_image):
    make_image(str(class_folder / "loose.jpg"), np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match=r"labels missing.*found 1 image\(s\) directly"):
        class_folder_dataset(class_folder, 4)


def test_empty_class_subfolder_named(class_folder):
    (class_folder / "empty_class").mkdir()
    (class_folder / "empty_class" / "readme.txt").write_text("nothing")
    with pytest.raises(ValueError, match=r"Class subfolder 'empty_class' .* is empty"):
        class_folder_dataset(class_folder, 4)


def test_class_subfolder_with_only_corrupt_files_named(class_folder, make_corrupt_files):
    make_corrupt_files(str(class_folder / "broken"))
    with pytest.raises(ValueError, match=r"Class subfolder 'broken' .* no readable images"):
        class_folder_dataset(class_folder, 4)


def test_missing_directory(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        class_folder_dataset(tmp_path / "nope", 4)


@pytest.mark.parametrize(
    "kwargs, key",
    [
        (dict(image_size=(4, 0)), "image_size"),
        (dict(channels=0), "channels"),
        (dict(batch_size=0), "batch_size"),
    ],
)
def test_bad_arguments(class_folder, kwargs, key):
    kwargs.setdefault("image_size", 4)
    with pytest.raises(ValueError, match=key):
        class_folder_dataset(class_folder, **kwargs)
