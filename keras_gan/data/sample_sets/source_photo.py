"""One photo found on disk for the photo sets, and the held-out draw over such photos."""

from __future__ import annotations

import dataclasses

import numpy as np

FIRST_SOURCES = "first_sources"  # the split group of the photos of the first curated lists


@dataclasses.dataclass(frozen=True)
class SourcePhoto:
    """One photo found on disk: `id` names its output files.

    `split_group` names the photos drawn together for the held-out split: the first
    curated sources share one group, each package added later has its own, so a new
    package never moves an earlier photo between `train/` and `test/`.
    """

    id: str
    path: str
    source: str
    licence: str
    split_group: str = FIRST_SOURCES


def held_out_ids(photo_ids: list[str], test_fraction: float, seed: int) -> set[str]:
    """The photos of one group held out for `test/`: the same draw for every set built."""
    n_test = 0
    if test_fraction > 0 and len(photo_ids) >= 2:
        n_test = min(max(1, round(test_fraction * len(photo_ids))), len(photo_ids) - 1)
    rng = np.random.default_rng(seed)
    return {photo_ids[i] for i in rng.permutation(len(photo_ids))[:n_test]}


def held_out_split(photos: list[SourcePhoto], test_fraction: float, seed: int) -> set[str]:
    """The ids held out for `test/`: `held_out_ids` drawn within each split group."""
    groups: dict[str, list[str]] = {}
    for photo in photos:
        groups.setdefault(photo.split_group, []).append(photo.id)
    return set().union(*(held_out_ids(ids, test_fraction, seed) for ids in groups.values()))
