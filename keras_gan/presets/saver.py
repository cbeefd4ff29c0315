"""`save_to_preset`: one call writes a preset folder (config, weights, metadata, card)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from keras_gan.presets.loader import (
    CONFIG_FILE,
    METADATA_FILE,
    WEIGHTS_FILE,
    _presets_in,
    file_sha256,
)

CARD_FILE = "MODEL_CARD.md"
SAMPLES_FILE = "samples.png"


def save_to_preset(
    model,
    directory: str | os.PathLike,
    *,
    config: dict,
    description: str,
    metrics: dict | None = None,
    recipe: list | None = None,
    sample_sheet: str | os.PathLike | np.ndarray | None = None,
    weights: bool = True,
    extra: dict | None = None,
    overwrite: bool = False,
) -> Path:
    """Writes `directory` (named after the preset) as a preset folder, atomically.

    Args:
        model: the trained model (its generator's weights are written when `weights`).
        directory: the preset folder, `.../presets/<name>`.
        config: the constructor arguments that rebuild the model (no networks).
        description: one or two sentences for `keras-gan presets` and the card.
        metrics: held-out scores (e.g. run.json's `held_out`), shown on the card.
        recipe: how it was trained: a list of stages, each the `keras-gan train` argument
            list (`make presets` runs them again).
        sample_sheet: a PNG file or an image array [H, W, C] in [-1, 1] or uint8.
        weights: write `generator.weights.h5` (False: a configuration-only preset).
        extra: more metadata (e.g. `style_images`, `data`).
        overwrite: replace an existing folder.

    Returns:
        The folder. Every file is listed in metadata.json with its sha256 and size, and
        the card is written from the metadata, so neither can disagree with the weights.
    """
    directory = Path(directory)
    if directory.exists() and not overwrite:
        raise FileExistsError(
            f"{directory} exists: pass overwrite=True (--overwrite) to replace it."
        )
    cls = type(model)
    built = cls(**config)
    if weights and len(built.generator.weights) != len(model.generator.weights):
        raise ValueError(
            f"config does not rebuild the model's generator ({len(built.generator.weights)} "
            f"weight tensors vs {len(model.generator.weights)})."
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        (staging / CONFIG_FILE).write_text(
            json.dumps({"class_name": cls.__name__, "config": config}, indent=2) + "\n"
        )
        if weights:  # what the model samples and exports with: the EMA generator where kept
            model.sampling_generator.save_weights(staging / WEIGHTS_FILE)
        if sample_sheet is not None:
            _write_samples(sample_sheet, staging / SAMPLES_FILE)
        metadata = {
            "name": directory.name,
            "class_name": cls.__name__,
            "family": getattr(cls, "family_name", ""),
            "description": description,
            "generator_params": int(model.generator.count_params()),
            "metrics": metrics or {},
            "recipe": recipe or [],
            **(extra or {}),
        }
        metadata["files"] = _files(staging)
        write_model_card(staging / CARD_FILE, metadata, config)
        metadata["files"][CARD_FILE] = _file_entry(staging / CARD_FILE)
        (staging / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _presets_in.cache_clear()
    return directory


def _file_entry(path: Path) -> dict:
    return {"sha256": file_sha256(path), "bytes": path.stat().st_size}


def _files(folder: Path) -> dict:
    return {p.name: _file_entry(p) for p in sorted(folder.iterdir()) if p.name != CONFIG_FILE}


def _write_samples(sheet, path: Path) -> None:
    if isinstance(sheet, (str, os.PathLike)):
        shutil.copyfile(sheet, path)
        return
    from PIL import Image

    image = np.asarray(sheet)
    if image.dtype != np.uint8:
        image = np.clip(np.round((image + 1.0) * 127.5), 0, 255).astype(np.uint8)
    Image.fromarray(image.squeeze(-1) if image.shape[-1] == 1 else image).save(path)


def _value(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def write_model_card(path: Path, metadata: dict, config: dict) -> None:
    """The Markdown card of a preset, from its metadata (nothing typed by hand)."""
    name, cls = metadata["name"], metadata["class_name"]
    files = metadata.get("files", {})
    lines = [f"# {name} ({cls})", "", metadata["description"], ""]
    lines += [
        f'Load it with `kg.models.{cls}.from_preset("{name}")`; '
        f"`keras-gan predict {name} --input IN --out OUT` runs it on files.",
        "",
        "## Configuration",
        "```json",
        json.dumps(config, indent=2),
        "```",
        f"Generator: {metadata['generator_params']:,} parameters.",
        "",
    ]
    if WEIGHTS_FILE in files:
        weights = files[WEIGHTS_FILE]
        lines += [
            f"Weights: `{WEIGHTS_FILE}`, {weights['bytes'] / 1e6:.2f} MB, sha256 "
            f"`{weights['sha256']}`.",
            "",
        ]
    else:
        lines += ["No trained weights ship: this preset is a configuration to train.", ""]
    metrics = metadata.get("metrics") or {}
    if metrics:
        lines += ["## Held-out quality (data never trained on)", ""]
        for moment in ("before", "after"):
            scores = metrics.get(moment)
            if isinstance(scores, dict):
                shown = ", ".join(f"{k}: {_value(v)}" for k, v in scores.items())
                lines.append(f"- {moment} training: {shown}{baseline_verdict(scores)}")
        for key, value in metrics.items():
            if key not in ("before", "after") and not isinstance(value, (dict, list)):
                lines.append(f"- {key}: {_value(value)}")
        lines.append("")
    if metadata.get("recipe"):
        lines += ["## Recipe (`make presets` runs it again)", "", "```bash"]
        lines += ["keras-gan " + " ".join(stage) for stage in metadata["recipe"]]
        lines += ["```", ""]
    if SAMPLES_FILE in files:
        lines += ["## Samples", "", f"![samples]({SAMPLES_FILE})", ""]
    training = {k: v for k, v in (metadata.get("training") or {}).items() if _scalar(v)}
    if training:
        lines += ["## Training", "", _table([training]), ""]
    if metadata.get("data"):
        lines += ["## Data and licences", "", str(metadata["data"]), ""]
    for key, title in (
        ("training_photos", "Training photos"),
        ("held_out_photos", "Held-out photos"),
    ):
        if metadata.get(key):
            lines += [f"{title}:", "", _table(metadata[key]), ""]
    path.write_text("\n".join(lines))


def _scalar(value) -> bool:
    return not isinstance(value, (dict, list))


def _table(rows: list[dict]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(_value(row.get(k, "")) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def baseline_verdict(scores: dict) -> str:
    """`beats its baseline (bicubic)` / `below its baseline (gray)` for held-out scores."""
    if scores.get("baseline") is None:
        return ""
    lower = scores.get("lower_is_better", scores.get("metric") in ("l1", "cycle_l1", "loss"))
    better = scores["value"] < scores["baseline"] if lower else scores["value"] > scores["baseline"]
    name = scores.get("baseline_name", "baseline")
    return f" ({'beats' if better else '**below**'} its baseline, {name})"
