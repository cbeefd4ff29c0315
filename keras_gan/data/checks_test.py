import pytest

from keras_gan.data.checks import (
    check_batch_size,
    check_channels,
    check_directory,
    normalize_image_size,
)


def test_normalize_image_size_accepts_int_and_pair():
    assert normalize_image_size(32) == (32, 32)
    assert normalize_image_size((16, 24)) == (16, 24)
    assert normalize_image_size([8, 4]) == (8, 4)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "64", True, (32,), (32, 0), (32, 2.0), None])
def test_normalize_image_size_rejects(bad):
    with pytest.raises(ValueError, match="image_size") as info:
        normalize_image_size(bad)
    assert "Received" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [0, 2, 4, "3", 3.0])
def test_check_channels_rejects(bad):
    with pytest.raises(ValueError, match=r"`channels` must be 1 or 3\. Received: channels="):
        check_channels(bad)


def test_check_channels_accepts():
    assert check_channels(1) == 1
    assert check_channels(3) == 3


@pytest.mark.parametrize("bad", [0, -1, 1.5, None])
def test_check_batch_size_rejects(bad):
    with pytest.raises(ValueError, match="batch_size must be a positive int|`batch_size`"):
        check_batch_size(bad)


def test_check_directory(tmp_path):
    assert check_directory(tmp_path) == str(tmp_path)
    with pytest.raises(ValueError, match="not found.*nope"):
        check_directory(tmp_path / "nope")
    file = tmp_path / "file.png"
    file.write_bytes(b"x")
    with pytest.raises(ValueError, match="not a folder"):
        check_directory(file)
