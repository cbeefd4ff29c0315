"""Output folders and the manifest shared by the sample-set builders."""

from __future__ import annotations

import json
import os

MANIFEST_NAME = "manifest.json"


def prepare_output_dir(
    out_dir: str | os.PathLike, subfolders: tuple[str, ...], overwrite: bool
) -> dict[str, str]:
    """Creates `out_dir/<subfolder>` for each subfolder and returns their paths.

    When a subfolder already holds files, raises `ValueError` unless `overwrite`, which
    deletes the PNG files directly inside those subfolders (nothing else) and the manifest.
    """
    out_dir = os.fspath(out_dir)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ValueError(f"Output path {out_dir!r} is a file: expected a folder (new or existing).")
    folders = {name: os.path.join(out_dir, name) for name in subfolders}
    taken = [f for f in folders.values() if os.path.isdir(f) and os.listdir(f)]
    if taken and not overwrite:
        raise ValueError(
            f"Output folder {taken[0]!r} already holds files: pass overwrite=True "
            "(--overwrite) to replace them, or choose another folder."
        )
    for folder in folders.values():
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.lower().endswith(".png"):
                os.remove(os.path.join(folder, name))
    manifest = os.path.join(out_dir, MANIFEST_NAME)
    if os.path.exists(manifest):
        os.remove(manifest)
    return folders


def write_manifest(out_dir: str | os.PathLike, manifest: dict) -> str:
    """Writes `manifest` as indented JSON to `out_dir/manifest.json`; returns the path."""
    path = os.path.join(os.fspath(out_dir), MANIFEST_NAME)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return path
