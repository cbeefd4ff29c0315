import logging
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data.image_files import CorruptImageWarning
from keras_gan.data.image_folder import image_folder_dataset


def _collect(dataset):
    return [batch.numpy() for batch in dataset]


def test_shapes_dtype_and_range(rgb_folder):
    dataset = image_folder_dataset(rgb_folder, 16, batch_size=4, seed=0)
    assert dataset.element_spec.shape.as_list() == [4, 16, 16, 3]
    assert dataset.element_spec.dtype == tf.float32
    batches = _collect(dataset)
    assert len(batches) == 2  # 10 images, drop_remainder=True
    for batch in batches:
        assert batch.shape == (4, 16, 16, 3) and batch.dtype == np.float32
        assert batch.min() >= -1.0 and batch.max() <= 1.0
    values = np.concatenate(batches)
    assert values.min() < -0.5 and values.max() > 0.5  # uses the whole range


def test_non_square_size_and_grayscale(rgb_folder):
    dataset = image_folder_dataset(rgb_folder, (8, 12), channels=1, batch_size=3)
    batch = next(iter(dataset)).numpy()
    assert batch.shape == (3, 8, 12, 1)


def test_keep_remainder_and_every_image_once(rgb_folder):
    dataset = image_folder_dataset(rgb_folder, 8, batch_size=4, drop_remainder=False)
    assert [len(b) for b in _collect(dataset)] == [4, 4, 2]


def test_repeat_runs_past_one_epoch(rgb_folder):
    dataset = image_folder_dataset(rgb_folder, 8, batch_size=4, repeat=True, seed=0)
    assert len(_collect(dataset.take(7))) == 7


def test_seed_makes_order_and_flips_reproducible(rgb_folder):
    kwargs = dict(image_size=16, batch_size=5, seed=42)
    first = _collect(image_folder_dataset(rgb_folder, **kwargs))
    second = _collect(image_folder_dataset(rgb_folder, **kwargs))
    np.testing.assert_array_equal(np.stack(first), np.stack(second))


def test_no_shuffle_no_flip_reads_sorted_order(tmp_path, make_image):
    for i in range(4):
        make_image(str(tmp_path / f"{i}.png"), np.full((5, 5), i * 80, np.uint8))
    dataset = image_folder_dataset(tmp_path, 5, channels=1, batch_size=4, shuffle=False, flip=False)
    batch = next(iter(dataset)).numpy()
    np.testing.assert_allclose(
        batch[:, 0, 0, 0], np.array([0, 80, 160, 240]) / 127.5 - 1, atol=1e-6
    )


def test_flip_mirrors_some_images(tmp_path, make_image):
    left_white = np.zeros((4, 4), np.uint8)
    left_white[:, :2] = 255
    for i in range(32):
        make_image(str(tmp_path / f"{i:02d}.png"), left_white)
    dataset = image_folder_dataset(tmp_path, 4, channels=1, batch_size=32, seed=1)
    batch = next(iter(dataset)).numpy()[..., 0]
    mirrored = batch[:, 0, 0] == -1.0
    assert 0 < mirrored.sum() < 32
    np.testing.assert_array_equal(
        batch[mirrored], np.tile(left_white[:, ::-1] / 127.5 - 1, (mirrored.sum(), 1, 1))
    )
    no_flip = image_folder_dataset(tmp_path, 4, channels=1, batch_size=32, flip=False)
    assert (next(iter(no_flip)).numpy()[:, 0, 0, 0] == 1.0).all()


def test_grayscale_and_rgba_inputs_converted_to_rgb(tmp_path, make_image):
    make_image(str(tmp_path / "gray.png"), np.full((6, 6), 255, np.uint8))
    rgba = np.zeros((6, 6, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[..., 3] = 255
    make_image(str(tmp_path / "rgba.png"), rgba, "RGBA")
    dataset = image_folder_dataset(tmp_path, 6, batch_size=2, shuffle=False, flip=False)
    gray, red = next(iter(dataset)).numpy()
    assert (gray == 1.0).all()
    np.testing.assert_array_equal(red[0, 0], [1.0, -1.0, -1.0])


def test_corrupt_files_skipped_with_one_counting_warning(rgb_folder, make_corrupt_files):
    bad = make_corrupt_files(str(rgb_folder / "nested"))
    with pytest.warns(CorruptImageWarning) as record:
        dataset = image_folder_dataset(rgb_folder, 8, batch_size=1, drop_remainder=False)
    assert len(record) == 1
    message = str(record[0].message)
    assert "Skipped 3 unreadable image file(s)" in message
    assert any(os.path.basename(p) in message for p in bad)
    assert record[0].filename == __file__  # points at the caller
    assert len(_collect(dataset)) == 10


def test_file_broken_after_listing_is_dropped_and_logged(rgb_folder, caplog):
    dataset = image_folder_dataset(rgb_folder, 8, batch_size=1, shuffle=False, flip=False)
    victim = sorted(rgb_folder.glob("img5.*"))[0]
    victim.write_bytes(b"broken after listing")
    with caplog.at_level(logging.WARNING, logger="keras_gan.data.image_files"):
        batches = _collect(dataset)
    assert len(batches) == 9
    assert "Skipping unreadable image" in caplog.text and victim.name in caplog.text


def test_missing_directory(tmp_path):
    with pytest.raises(ValueError, match=r"not found.*missing_dir.*expected an existing folder"):
        image_folder_dataset(tmp_path / "missing_dir", 8)


def test_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("no images")
    with pytest.raises(ValueError, match=r"No images found in .*expected files ending in \.png"):
        image_folder_dataset(tmp_path, 8)


def test_all_corrupt_folder(tmp_path, make_corrupt_files, recwarn):
    make_corrupt_files(str(tmp_path))
    with pytest.raises(
        ValueError, match=r"No readable images .* all 3 image file\(s\) are corrupt"
    ):
        image_folder_dataset(tmp_path, 8)
    assert not recwarn.list  # the error says it all; no extra warning


@pytest.mark.parametrize(
    "kwargs, key",
    [
        (dict(image_size=0), "image_size"),
        (dict(image_size=-4), "image_size"),
        (dict(image_size=8.0), "image_size"),
        (dict(image_size=8, channels=4), "channels"),
        (dict(image_size=8, channels=2), "channels"),
        (dict(image_size=8, batch_size=0), "batch_size"),
        (dict(image_size=8, batch_size=-2), "batch_size"),
    ],
)
def test_bad_arguments(rgb_folder, kwargs, key):
    with pytest.raises(ValueError, match=key) as info:
        image_folder_dataset(rgb_folder, **kwargs)
    assert "Received" in str(info.value) and "\n" not in str(info.value)
