import os

import numpy as np
import pytest

from keras_gan.data.image_files import CorruptImageWarning
from keras_gan.data.unpaired import unpaired_dataset, unpaired_examples


def _write_side(make_image, folder, count, value_offset, size=(6, 6), mode_gray=False):
    """Writes `count` flat images whose value encodes their index: `value_offset + 10 * i`."""
    for i in range(count):
        value = value_offset + 10 * i
        shape = size if mode_gray else size + (3,)
        make_image(str(folder / f"{i:02d}.png"), np.full(shape, value, np.uint8))


@pytest.fixture
def cyclegan_root(tmp_path, make_image):
    """trainA: 5 images (values 0, 10, ..), trainB: 3 images (values 100, 110, 120)."""
    _write_side(make_image, tmp_path / "trainA", 5, 0)
    _write_side(make_image, tmp_path / "trainB", 3, 100, size=(9, 4))
    _write_side(make_image, tmp_path / "testA", 2, 0)
    _write_side(make_image, tmp_path / "testB", 4, 100, mode_gray=True)
    return tmp_path


def _indices(batch, offset):
    return np.rint((batch[:, 0, 0, 0] + 1) * 127.5 - offset).astype(int) // 10


def _collect(dataset):
    pairs = [(a.numpy(), b.numpy()) for a, b in dataset]
    return np.concatenate([a for a, _ in pairs]), np.concatenate([b for _, b in pairs])


def test_epoch_is_max_of_sides_each_side_shuffled_on_its_own(cyclegan_root):
    dataset = unpaired_dataset(cyclegan_root, image_size=4, batch_size=1, seed=0)
    assert dataset.element_spec[0].shape.as_list() == [1, 4, 4, 3]
    a, b = _collect(dataset)
    assert len(a) == len(b) == 5  # max(5, 3)
    assert sorted(_indices(a, 0)) == [0, 1, 2, 3, 4]  # the larger side once
    b_indices = _indices(b, 100)
    assert set(b_indices) <= {0, 1, 2} and len(set(b_indices[:3])) == 3  # B cycles
    assert a.min() >= -1.0 and a.max() <= 1.0 and a.dtype == np.float32


def test_no_shuffle_reads_sorted_order_and_cycles_the_shorter_side(cyclegan_root):
    kwargs = dict(image_size=4, batch_size=5, augment=False, shuffle=False)
    a, b = _collect(unpaired_dataset(cyclegan_root, **kwargs))
    assert _indices(a, 0).tolist() == [0, 1, 2, 3, 4]
    assert _indices(b, 100).tolist() == [0, 1, 2, 0, 1]


def test_seed_reproducible_and_epochs_reshuffle(cyclegan_root):
    kwargs = dict(image_size=4, load_size=6, batch_size=5, seed=7, repeat=True)
    first = [x.numpy() for x in next(iter(unpaired_dataset(cyclegan_root, **kwargs)))]
    second = [x.numpy() for x in next(iter(unpaired_dataset(cyclegan_root, **kwargs)))]
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    epochs = list(unpaired_dataset(cyclegan_root, image_size=4, batch_size=5, seed=7).repeat(4))
    orders = {tuple(_indices(a.numpy(), 0)) for a, _ in epochs}
    assert len(orders) > 1


def test_augment_crops_each_side_on_its_own(tmp_path, make_image):
    gradient = np.tile(np.arange(0, 240, 20, dtype=np.uint8), (12, 1))  # columns 0..220
    for i in range(32):
        make_image(str(tmp_path / "trainA" / f"{i:02d}.png"), gradient)
        make_image(str(tmp_path / "trainB" / f"{i:02d}.png"), gradient)
    dataset = unpaired_dataset(tmp_path, image_size=4, load_size=12, channels=1, batch_size=32)
    a, b = _collect(dataset)
    assert a.shape == (32, 4, 4, 1)
    assert not np.array_equal(a, b)  # independent crops and flips
    corners = np.rint((a[:, 0, 0, 0] + 1) * 127.5)
    assert len(set(corners)) > 3  # offsets vary
    assert (a[:, 0, 0, 0] > a[:, 0, -1, 0]).any() and (a[:, 0, 0, 0] < a[:, 0, -1, 0]).any()


def test_channels_and_conversions(cyclegan_root):
    a, b = unpaired_examples(cyclegan_root, "test", image_size=4, channels=(1, 3))
    assert a.shape == (2, 4, 4, 1) and b.shape == (4, 4, 4, 3)  # gray testB -> RGB
    np.testing.assert_allclose(b[1], 110 / 127.5 - 1, atol=1e-5)
    a, b = unpaired_examples(cyclegan_root, "train", image_size=4, limit=2)
    assert a.shape == (2, 4, 4, 3) and b.shape == (2, 4, 4, 3)


def test_corrupt_files_are_named_and_skipped(cyclegan_root, make_corrupt_files):
    bad = make_corrupt_files(str(cyclegan_root / "trainB"))
    with pytest.warns(CorruptImageWarning) as record:
        dataset = unpaired_dataset(cyclegan_root, image_size=4, augment=False, shuffle=False)
    assert len(record) == 1 and record[0].filename == __file__
    assert "trainB" in str(record[0].message) and os.path.basename(bad[0]) in str(record[0].message)
    _, b = _collect(dataset)
    assert _indices(b, 100).tolist() == [0, 1, 2, 0, 1]


def test_missing_and_empty_folders(tmp_path, make_image):
    _write_side(make_image, tmp_path / "trainA", 2, 0)
    with pytest.raises(ValueError, match=r"Folder .*trainB.* not found.*found sub-folders: trainA"):
        unpaired_dataset(tmp_path)
    (tmp_path / "trainB").mkdir()
    with pytest.raises(ValueError, match=r"No images found in .*trainB"):
        unpaired_dataset(tmp_path)
    with pytest.raises(ValueError, match=r"not found.*missing"):
        unpaired_dataset(tmp_path / "missing")
    with pytest.raises(ValueError, match=r"testA.* not found"):
        unpaired_examples(tmp_path)


@pytest.mark.parametrize(
    "kwargs, key",
    [
        (dict(image_size=-1), "image_size"),
        (dict(image_size=8, load_size=7), "load_size"),
        (dict(channels=4), "channels"),
        (dict(batch_size=6), "batch_size"),
    ],
)
def test_bad_arguments(cyclegan_root, kwargs, key):
    with pytest.raises(ValueError, match=key) as info:
        unpaired_dataset(cyclegan_root, **kwargs)
    assert "\n" not in str(info.value)
