import os

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_gan.data.image_files import CorruptImageWarning
from keras_gan.data.paired import (
    UnpairedFileWarning,
    paired_dataset,
    paired_examples,
    paired_files,
)


def _rgb(height, width, seed):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def _unit(array):
    return np.asarray(array, np.float32) / 127.5 - 1.0


def _collect(dataset):
    sources, targets = zip(*[(s.numpy(), t.numpy()) for s, t in dataset], strict=True)
    return np.concatenate(sources), np.concatenate(targets)


@pytest.fixture
def aligned_folder(tmp_path, make_image):
    """Four aligned 8x16 files; returns the folder and the (A, B) arrays in sorted order."""
    halves = []
    for i in range(4):
        a, b = _rgb(8, 8, 2 * i), _rgb(8, 8, 2 * i + 1)
        make_image(str(tmp_path / "aligned" / f"{i}.png"), np.concatenate([a, b], axis=1))
        halves.append((a, b))
    return tmp_path / "aligned", halves


def _no_augment(path, **kwargs):
    kwargs = dict(image_size=8, batch_size=4, augment=False, shuffle=False) | kwargs
    return paired_dataset(path, **kwargs)


def test_aligned_left_half_is_a_right_half_is_b(aligned_folder):
    folder, halves = aligned_folder
    dataset = _no_augment(folder)
    assert dataset.element_spec[0].shape.as_list() == [4, 8, 8, 3]
    source, target = _collect(dataset)
    for i, (a, b) in enumerate(halves):
        np.testing.assert_allclose(source[i], _unit(a), atol=1e-5)
        np.testing.assert_allclose(target[i], _unit(b), atol=1e-5)


def test_aligned_odd_width_splits_at_half(tmp_path, make_image):
    image = np.zeros((4, 9), np.uint8)
    image[:, 4:] = 255  # A = 4 black columns, B = 5 white columns.
    make_image(str(tmp_path / "odd.png"), image)
    source, target = paired_examples(tmp_path, image_size=4, channels=1)
    np.testing.assert_allclose(source, -1.0, atol=1e-5)
    np.testing.assert_allclose(target, 1.0, atol=1e-5)


def test_direction_swaps_images_and_channels(aligned_folder):
    folder, halves = aligned_folder
    dataset = _no_augment(folder, channels=(1, 3), direction="BtoA")
    assert dataset.element_spec[0].shape[-1] == 3 and dataset.element_spec[1].shape[-1] == 1
    source, target = _collect(dataset)
    np.testing.assert_allclose(source[0], _unit(halves[0][1]), atol=1e-5)
    gray = np.asarray(Image.fromarray(halves[0][0]).convert("L"))[..., None]
    np.testing.assert_allclose(target[0], _unit(gray), atol=1e-5)


def test_split_folders_match_on_stem_and_warn_once_about_partnerless(tmp_path, make_image):
    a1, b1, a2, b2 = (_rgb(6, 6, s) for s in range(4))
    make_image(str(tmp_path / "A" / "one.png"), a1)
    make_image(str(tmp_path / "B" / "one.bmp"), b1)  # other extension, same stem
    make_image(str(tmp_path / "A" / "sub" / "two.png"), a2)
    make_image(str(tmp_path / "B" / "sub" / "two.png"), b2)
    make_image(str(tmp_path / "A" / "lonely_a.png"), a1)
    make_image(str(tmp_path / "B" / "lonely_b.png"), b1)
    with pytest.warns(UnpairedFileWarning) as record:
        pairs = paired_files(tmp_path)
    assert len(record) == 1 and record[0].filename == __file__
    message = str(record[0].message)
    assert "1 file(s) in A/ have no partner in B/: lonely_a.png" in message
    assert "1 file(s) in B/ have no partner in A/: lonely_b.png" in message
    assert [(os.path.basename(a), os.path.basename(b)) for a, b in pairs] == [
        ("one.png", "one.bmp"),
        ("two.png", "two.png"),
    ]
    with pytest.warns(UnpairedFileWarning):
        source, target = _collect(_no_augment(tmp_path, image_size=6, batch_size=2))
    np.testing.assert_allclose(source, _unit(np.stack([a1, a2])), atol=1e-5)
    np.testing.assert_allclose(target, _unit(np.stack([b1, b2])), atol=1e-5)


def test_different_sizes_and_conversions(tmp_path, make_image):
    make_image(str(tmp_path / "A" / "gray.png"), np.full((10, 12), 255, np.uint8))
    rgba = np.zeros((20, 6, 4), np.uint8)
    rgba[..., 0] = 255  # red, but fully transparent: composited onto white
    make_image(str(tmp_path / "B" / "gray.png"), rgba, "RGBA")
    Image.fromarray(np.full((5, 5), 257 * 20, np.uint16)).save(tmp_path / "A" / "deep.png")
    palette = Image.new("P", (7, 3))
    palette.putpalette([0, 0, 255] + [0] * 765)
    palette.save(tmp_path / "B" / "deep.png")
    source, target = _collect(_no_augment(tmp_path, image_size=4, batch_size=2))
    assert source.shape == (2, 4, 4, 3) and target.shape == (2, 4, 4, 3)
    np.testing.assert_allclose(source[0], _unit(20), atol=1e-5)  # 16-bit scaled to 8 bits
    np.testing.assert_allclose(target[0], np.broadcast_to(_unit([0, 0, 255]), (4, 4, 3)), atol=1e-5)
    np.testing.assert_allclose(source[1], 1.0, atol=1e-5)  # gray -> RGB
    np.testing.assert_allclose(target[1], 1.0, atol=1e-5)  # transparent -> white
    gray_source, _ = _collect(_no_augment(tmp_path, image_size=4, batch_size=2, channels=(1, 3)))
    assert gray_source.shape == (2, 4, 4, 1)


def test_corrupt_files_are_named_and_skipped(tmp_path, make_image, make_corrupt_files):
    for i in range(3):
        make_image(str(tmp_path / "A" / f"{i}.png"), _rgb(6, 6, i))
        make_image(str(tmp_path / "B" / f"{i}.png"), _rgb(6, 6, i + 10))
    bad = make_corrupt_files(str(tmp_path / "A"))
    for path in bad:  # give each corrupt file a readable partner in B/
        make_image(
            str(tmp_path / "B" / (os.path.splitext(os.path.basename(path))[0] + ".png")),
            _rgb(6, 6, 0),
        )
    with pytest.warns(CorruptImageWarning) as record:
        dataset = _no_augment(tmp_path, image_size=6, batch_size=1, drop_remainder=False)
    assert len(record) == 1 and record[0].filename == __file__
    assert "Skipped 3 unreadable image file(s)" in str(record[0].message)
    assert os.path.basename(bad[0]) in str(record[0].message)
    assert len(list(dataset)) == 3


def test_aligned_corrupt_files_warn_and_file_broken_later_is_dropped(
    aligned_folder, make_corrupt_files
):
    folder, _ = aligned_folder
    make_corrupt_files(str(folder))
    with pytest.warns(CorruptImageWarning) as record:
        dataset = _no_augment(folder, batch_size=1)
    assert record[0].filename == __file__
    (folder / "2.png").write_bytes(b"broken after listing")
    assert len(list(dataset)) == 3


def test_missing_and_empty_folders(tmp_path, make_image):
    with pytest.raises(ValueError, match=r"not found.*nowhere"):
        paired_dataset(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"No images found in .*empty"):
        paired_dataset(tmp_path / "empty")
    make_image(str(tmp_path / "half" / "A" / "x.png"), _rgb(4, 4, 0))
    with pytest.raises(ValueError, match=r"Folder .*half.B.* not found"):
        paired_dataset(tmp_path / "half")
    (tmp_path / "half" / "B").mkdir()
    with pytest.raises(ValueError, match=r"No images found in .*half.B"):
        paired_dataset(tmp_path / "half")
    make_image(str(tmp_path / "half" / "B" / "y.png"), _rgb(4, 4, 0))
    with pytest.raises(ValueError, match=r"No file in .*A.* has a partner in .*B"):
        paired_dataset(tmp_path / "half")


def test_dataset_root_needs_a_split(tmp_path, make_image):
    for split in ("train", "test"):
        make_image(str(tmp_path / split / "0.png"), _rgb(4, 8, 0))
    with pytest.raises(
        ValueError, match=r"split folders \(train, test\).*pass split='train'"
    ) as info:
        paired_dataset(tmp_path)
    assert "\n" not in str(info.value)
    assert len(paired_files(tmp_path, split="test")) == 1
    with pytest.raises(
        ValueError, match=r"Split folder .*val.* not found.*found sub-folders: test, train"
    ):
        paired_files(tmp_path, split="val")


def test_reference_a_b_split_layout(tmp_path, make_image):
    make_image(str(tmp_path / "A" / "train" / "0.png"), _rgb(4, 4, 0))
    make_image(str(tmp_path / "B" / "train" / "0.png"), _rgb(4, 4, 1))
    assert len(paired_files(tmp_path, split="train")) == 1


def test_augment_crops_and_flips_both_images_alike(tmp_path, make_image):
    for i in range(16):
        array = _rgb(12, 12, i)
        make_image(str(tmp_path / "A" / f"{i:02d}.png"), array)
        make_image(str(tmp_path / "B" / f"{i:02d}.png"), array)
    dataset = paired_dataset(tmp_path, image_size=8, load_size=12, batch_size=16, seed=3)
    source, target = _collect(dataset)
    np.testing.assert_array_equal(source, target)
    assert source.shape == (16, 8, 8, 3) and source.min() >= -1.0 and source.max() <= 1.0
    # The crops vary: an element equals one of the 5x5 crops of its image, flipped or not.
    offsets = set()
    for image in source:
        original = None
        for i in range(16):
            full = _unit(_rgb(12, 12, i))
            for y in range(5):
                for x in range(5):
                    crop = full[y : y + 8, x : x + 8]
                    for flip in (False, True):
                        candidate = crop[:, ::-1] if flip else crop
                        if np.allclose(candidate, image, atol=1e-5):
                            original = (y, x, flip)
        assert original is not None
        offsets.add(original)
    assert len(offsets) > 4 and {f for _, _, f in offsets} == {False, True}


def test_aligned_augment_keeps_halves_equal(tmp_path, make_image):
    for i in range(8):
        a = _rgb(10, 10, i)
        make_image(str(tmp_path / f"{i}.png"), np.concatenate([a, a], axis=1))
    source, target = _collect(paired_dataset(tmp_path, image_size=8, batch_size=4, seed=1))
    np.testing.assert_array_equal(source, target)


def test_seed_makes_order_crops_and_flips_reproducible(aligned_folder):
    folder, _ = aligned_folder
    kwargs = dict(image_size=6, load_size=8, batch_size=2)
    first = _collect(paired_dataset(folder, seed=5, **kwargs))
    second = _collect(paired_dataset(folder, seed=5, **kwargs))
    other = _collect(paired_dataset(folder, seed=6, **kwargs))
    np.testing.assert_array_equal(first[0], second[0])
    assert not np.array_equal(first[0], other[0])


def test_default_load_size_and_repeat(aligned_folder):
    folder, _ = aligned_folder
    dataset = paired_dataset(folder, image_size=4, batch_size=3, repeat=True)
    assert len(list(dataset.take(5))) == 5
    assert tf.data.experimental.cardinality(paired_dataset(folder, image_size=4)).numpy() != 0


def test_paired_examples_first_pairs_in_order(aligned_folder):
    folder, halves = aligned_folder
    source, target = paired_examples(folder, image_size=8, limit=3)
    assert source.shape == (3, 8, 8, 3) and source.dtype == np.float32
    np.testing.assert_allclose(target, _unit(np.stack([b for _, b in halves[:3]])), atol=1e-5)
    source, _ = paired_examples(folder, image_size=4, limit=None, direction="BtoA", channels=(3, 1))
    assert source.shape == (4, 4, 4, 1)


@pytest.mark.parametrize(
    "kwargs, key",
    [
        (dict(image_size=0), "image_size"),
        (dict(image_size=8, load_size=4), "load_size"),
        (dict(channels=(3, 2)), "channels"),
        (dict(channels=(3, 3, 3)), "channels"),
        (dict(direction="AB"), "direction"),
        (dict(batch_size=0), "batch_size"),
        (dict(batch_size=5), "batch_size"),
    ],
)
def test_bad_arguments(aligned_folder, kwargs, key):
    with pytest.raises(ValueError, match=key) as info:
        paired_dataset(aligned_folder[0], **kwargs)
    assert "\n" not in str(info.value)
