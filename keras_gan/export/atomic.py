"""Writes that either finish or leave nothing: a temporary sibling renamed into place.

Every export is written under a hidden temporary name in the target's own folder (so
the final rename stays on one file system) and moved into place with `os.replace` only
once it is complete. A failure removes the temporary and leaves the target untouched.
TF-Serving only loads numeric version folders, so a half-written `.1.tmp-...` folder
beside a version is never picked up.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path


def temporary_sibling(target: str | os.PathLike, suffix: str = "") -> Path:
    """A fresh hidden path beside `target`: `.{name}.tmp-{random}{suffix}`."""
    target = Path(target)
    return target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}{suffix}")


def check_target(target: str | os.PathLike, overwrite: bool) -> Path:
    """`target` as a Path; raises if it exists and `overwrite` is False."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise ValueError(
            f"{target} already exists: pass overwrite=True (--overwrite) to replace it."
        )
    return target


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


@contextlib.contextmanager
def atomic_directory(target: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yields an empty temporary folder that becomes `target` when the block succeeds."""
    target = check_target(target, overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = temporary_sibling(target)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        _remove(staging)
        raise
    _replace(staging, target)


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yields a temporary file path (same suffix as `target`) renamed to `target` on success."""
    target = check_target(target, overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = temporary_sibling(target, target.suffix)
    try:
        yield staging
        if not staging.exists():
            raise RuntimeError(f"Nothing was written to {staging} for {target}.")
    except BaseException:
        _remove(staging)
        raise
    _replace(staging, target)


def _replace(staging: Path, target: Path) -> None:
    """Moves `staging` onto `target`; an existing target is moved aside, then removed."""
    if not target.exists():
        os.replace(staging, target)
        return
    old = temporary_sibling(target, ".old")
    os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(old, target)
        _remove(staging)
        raise
    _remove(old)


def write_json(path: str | os.PathLike, data: dict) -> Path:
    """Writes `data` as indented JSON through a temporary file; returns the path."""
    path = Path(path)
    with atomic_file(path, overwrite=True) as staging:
        staging.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    return path


def directory_size(path: str | os.PathLike) -> int:
    """Total bytes of the regular files under `path` (or of the file itself)."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
