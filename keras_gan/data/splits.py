"""The one definition of train / held-out splits, used by training, evaluation and benchmarks.

A data folder is split when it holds split folders; the training split is `train`, the
held-out split the first of `HELD_OUT_SPLITS` present. The layouts:

- a plain image folder (photos, noise families): `train/` and `test/` (or `val/`);
- a paired folder (Pix2Pix): `train/` and `test/` of aligned A|B files, or `A/train`,
  `A/test`, `B/train`, `B/test` (pytorch-CycleGAN-and-pix2pix's layout before
  `combine_A_and_B.py`);
- an unpaired folder (CycleGAN): `trainA/ trainB/` and `testA/ testB/` (or `valA/ valB/`).

A folder without split folders has no held-out split: a run trains on all of it, reports
no held-out score and says so.
"""

from __future__ import annotations

import dataclasses
import os

HELD_OUT_SPLITS = ("test", "val")
TRAIN_SPLIT = "train"


@dataclasses.dataclass(frozen=True)
class Splits:
    """The splits of one data folder.

    Attributes:
        train: the training split's name, or None (the whole folder trains).
        held_out: the held-out split's name, or None (the folder has none).
    """

    train: str | None
    held_out: str | None


def _isdir(*parts: str) -> bool:
    return os.path.isdir(os.path.join(*parts))


def folder_splits(data: str | os.PathLike) -> Splits:
    """Splits of a plain image folder: `train/` + `test/` (or `val/`), else none."""
    data = os.fspath(data)
    if not _isdir(data, TRAIN_SPLIT):
        return Splits(None, None)
    return Splits(TRAIN_SPLIT, next((s for s in HELD_OUT_SPLITS if _isdir(data, s)), None))


def paired_splits(data: str | os.PathLike) -> Splits:
    """Splits of a paired folder: `train/` + `test/`, or `A/<split>` with `B/<split>`."""
    data = os.fspath(data)

    def present(split: str) -> bool:
        return _isdir(data, split) or (_isdir(data, "A", split) and _isdir(data, "B", split))

    if not present(TRAIN_SPLIT):
        return Splits(None, None)
    return Splits(TRAIN_SPLIT, next((s for s in HELD_OUT_SPLITS if present(s)), None))


def unpaired_splits(data: str | os.PathLike) -> Splits:
    """Splits of an unpaired folder: `trainA/ trainB/` + `testA/ testB/` (or `valA/ valB/`)."""
    data = os.fspath(data)
    held_out = next(
        (s for s in HELD_OUT_SPLITS if all(_isdir(data, f"{s}{side}") for side in "AB")), None
    )
    return Splits(TRAIN_SPLIT, held_out)


def split_folder(data: str | os.PathLike, split: str | None) -> str:
    """The folder of `split` inside `data` (`data` itself for None)."""
    return os.fspath(data) if split is None else os.path.join(os.fspath(data), split)
