"""Reading IDX files (the MNIST family's format), gzipped or plain, with validation."""

from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

_UBYTE = 0x08


def read_idx(path: str | os.PathLike, ndim: int) -> np.ndarray:
    """Reads an IDX file of unsigned bytes with `ndim` dimensions into a uint8 array.

    The header is checked: two zero bytes, the type code 0x08 (unsigned byte), the number
    of dimensions, then one big-endian int32 per dimension; the payload must hold exactly
    the product of the dimensions. Files ending in ".gz" are decompressed.

    Args:
        path: the `.gz` or plain IDX file.
        ndim: the expected number of dimensions (3 for images, 1 for labels).

    Returns:
        A uint8 array with the shape from the header.

    Raises:
        ValueError: naming the file, when it is not valid gzip or not a valid IDX file.
    """
    path = os.fspath(path)
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except (OSError, EOFError, zlib.error) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"Corrupt IDX file {path!r}: cannot decompress it ({error}).") from error

    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise ValueError(
            f"Corrupt IDX file {path!r}: {len(data)} bytes, expected a header of {header_size}."
        )
    magic = int.from_bytes(data[:4], "big")
    expected_magic = (_UBYTE << 8) | ndim
    if magic != expected_magic:
        raise ValueError(
            f"Corrupt IDX file {path!r}: magic number 0x{magic:08x}, expected "
            f"0x{expected_magic:08x} (unsigned bytes, {ndim} dimension(s))."
        )
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64))
    payload = len(data) - header_size
    if payload != expected:
        raise ValueError(
            f"Corrupt IDX file {path!r}: {payload} data bytes, expected {expected} "
            f"for shape {shape}."
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(shape).copy()
