"""The one train / held-out definition, for every layout."""

from keras_gan.data.splits import Splits, folder_splits, paired_splits, unpaired_splits


def _folders(root, *names):
    for name in names:
        (root / name).mkdir(parents=True)
    return root


def test_plain_folder_splits(tmp_path):
    assert folder_splits(_folders(tmp_path / "a", "x")) == Splits(None, None)
    assert folder_splits(_folders(tmp_path / "b", "train", "test")) == Splits("train", "test")
    assert folder_splits(_folders(tmp_path / "c", "train", "val")) == Splits("train", "val")
    assert folder_splits(_folders(tmp_path / "d", "train")) == Splits("train", None)


def test_paired_splits_in_both_layouts(tmp_path):
    aligned = _folders(tmp_path / "a", "train", "test")
    assert paired_splits(aligned) == Splits("train", "test")
    # The layout paired_files documents: A/train, A/test, B/train, B/test.
    folders = _folders(tmp_path / "b", "A/train", "A/test", "B/train", "B/test")
    assert paired_splits(folders) == Splits("train", "test")
    val = _folders(tmp_path / "c", "A/train", "A/val", "B/train", "B/val")
    assert paired_splits(val) == Splits("train", "val")
    # A held-out split on one side only is not a split.
    one_sided = _folders(tmp_path / "d", "A/train", "A/test", "B/train")
    assert paired_splits(one_sided) == Splits("train", None)
    assert paired_splits(_folders(tmp_path / "e", "A", "B")) == Splits(None, None)


def test_unpaired_splits(tmp_path):
    assert unpaired_splits(_folders(tmp_path / "a", "trainA", "trainB")) == Splits("train", None)
    both = _folders(tmp_path / "b", "trainA", "trainB", "valA", "valB")
    assert unpaired_splits(both) == Splits("train", "val")
