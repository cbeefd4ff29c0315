import gzip

import numpy as np
import pytest

from keras_gan.data.idx_files import read_idx


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """Encodes a uint8 array as an IDX file (optionally with a wrong magic number)."""
    magic = (0x08 << 8 | array.ndim) if magic is None else magic
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.mark.parametrize("compressed", [True, False])
def test_read_idx_roundtrip(tmp_path, compressed):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    data = idx_bytes(array)
    path = tmp_path / ("x.gz" if compressed else "x")
    path.write_bytes(gzip.compress(data) if compressed else data)
    out = read_idx(path, ndim=3)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, array)
    out[0, 0, 0] = 9  # writable


def test_read_idx_bad_magic_names_file(tmp_path):
    path = tmp_path / "labels"
    path.write_bytes(idx_bytes(np.zeros(5, np.uint8), magic=0x00000803))
    with pytest.raises(ValueError, match=r"Corrupt IDX file .*labels.*magic number 0x00000803"):
        read_idx(path, ndim=1)


def test_read_idx_wrong_payload_size(tmp_path):
    path = tmp_path / "short"
    path.write_bytes(idx_bytes(np.zeros((3, 2, 2), np.uint8))[:-1])
    with pytest.raises(ValueError, match=r"short.*11 data bytes, expected 12"):
        read_idx(path, ndim=3)


def test_read_idx_too_short_for_header(tmp_path):
    path = tmp_path / "tiny"
    path.write_bytes(b"\x00\x00")
    with pytest.raises(ValueError, match="tiny.*expected a header"):
        read_idx(path, ndim=3)


def test_read_idx_bad_gzip(tmp_path):
    path = tmp_path / "broken.gz"
    path.write_bytes(b"definitely not gzip")
    with pytest.raises(ValueError, match=r"broken\.gz.*cannot decompress"):
        read_idx(path, ndim=1)
    truncated = tmp_path / "cut.gz"
    truncated.write_bytes(gzip.compress(idx_bytes(np.zeros(1000, np.uint8)))[:20])
    with pytest.raises(ValueError, match=r"cut\.gz"):
        read_idx(truncated, ndim=1)


def test_read_idx_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "none.gz", ndim=1)
