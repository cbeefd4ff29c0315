"""`keras-gan presets` (list every preset) and `keras-gan preset save` (write one)."""

import argparse
import json
from pathlib import Path

from keras_gan.cli.tables import print_table


def add_parser(commands) -> None:
    listing = commands.add_parser(
        "presets",
        help="list every preset: family, parameters, whether weights ship, held-out score",
        description="List the presets of every registered family, read from their folders.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=run_list)
    save = commands.add_parser(
        "preset",
        help="write a preset folder from a trained model (`preset save`)",
        description="Write a preset folder (config, generator weights, metadata with sha256, "
        "held-out metrics and recipe, model card, samples) from a trained .keras model.",
    )
    actions = save.add_subparsers(dest="action", metavar="ACTION", required=True)
    saver = actions.add_parser("save", help="write RUN_DIR/model.keras as a preset folder")
    saver.add_argument("model", help="the trained model (.keras), e.g. RUN_DIR/model.keras")
    saver.add_argument("folder", help="the preset folder: keras_gan/models/<family>/presets/NAME")
    saver.add_argument(
        "--like",
        help="an existing preset (name or folder) whose config, description, recipe and "
        "extra metadata the new folder keeps (what `make presets` rebuilds)",
    )
    saver.add_argument("--description", help="what the preset is (default: --like's)")
    saver.add_argument(
        "--run-dir", help="the RUN_DIR whose run.json held-out scores and samples the card shows"
    )
    saver.add_argument("--overwrite", action="store_true", help="replace an existing folder")
    saver.set_defaults(run=run_save)


def summary(entry: dict) -> str:
    """`psnr_y 25.44 (bicubic 24.60)`, from a preset's metadata; '' without metrics."""
    after = (entry.get("metrics") or {}).get("after")
    if not isinstance(after, dict):
        return ""
    text = f"{after['metric']} {after['value']:.4g}"
    if after.get("baseline") is not None:
        text += f" ({after.get('baseline_name', 'baseline')} {after['baseline']:.4g})"
    return text


def preset_rows() -> list[dict]:
    from keras_gan.registry import list_families

    rows = []
    for info in list_families():
        for name, entry in sorted(info.cls.presets.items()):
            rows.append(
                {
                    "preset": name,
                    "family": info.name,
                    "parameters": entry.get("generator_params"),
                    "weights": entry["has_weights"],
                    "held_out": summary(entry),
                    "description": entry.get("description", ""),
                }
            )
    return sorted(rows, key=lambda row: row["preset"])


def run_list(args: argparse.Namespace) -> int:
    rows = preset_rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    header = ("preset", "family", "generator params", "weights", "held-out (baseline)")
    print_table(
        header,
        [
            (
                row["preset"],
                row["family"],
                f"{row['parameters']:,}" if row["parameters"] else "?",
                "yes" if row["weights"] else "no",
                row["held_out"] or "-",
            )
            for row in rows
        ],
    )
    shipped = sum(row["weights"] for row in rows)
    print(f"{len(rows)} presets, {shipped} with trained weights.")
    return 0


def run_save(args: argparse.Namespace) -> int:
    from keras_gan.models.preset_loading import load_saved_model
    from keras_gan.presets import is_preset_folder, read_preset, save_to_preset

    model = load_saved_model(args.model)
    base = {}
    if args.like:
        if is_preset_folder(args.like):
            base = read_preset(args.like)
        elif args.like in type(model).presets:
            base = type(model).presets[args.like]
        else:
            raise ValueError(f"--like {args.like!r} is not a preset of {type(model).__name__}.")
    description = args.description or base.get("description")
    if not description:
        raise ValueError("--description is needed (or --like an existing preset).")
    config = base.get("config") or _hyperparameters(model)
    # What describes the model itself (its style images, ...) carries over from --like; what
    # describes a run (training, data, metrics, files) comes from --run-dir or is dropped.
    run_fields = {"training", "notes", "data", "training_photos", "held_out_photos"}
    derived = {"name", "class_name", "config", "path", "has_weights", "files", "metrics"}
    derived |= {"description", "recipe", "generator_params", "family"}
    extra = {k: v for k, v in base.items() if k not in derived | run_fields}
    metrics, samples = {}, None
    if args.run_dir:
        run = Path(args.run_dir)
        record = json.loads((run / "run.json").read_text())
        metrics = record.get("held_out", {})
        extra["training"] = {k: v for k, v in record.items() if k != "held_out"}
        extra.update(_photo_tables(Path(record["data"])))
        sheets = sorted((run / "samples").glob("epoch_*.png"))
        samples = sheets[-1] if sheets else None
    folder = save_to_preset(
        model,
        args.folder,
        config=config,
        description=description,
        metrics=metrics,
        recipe=base.get("recipe"),
        sample_sheet=samples,
        extra=extra,
        overwrite=args.overwrite,
    )
    print(f"Wrote {folder} ({summary({'metrics': metrics}) or 'no held-out score'}).")
    return 0


def _photo_tables(data: Path) -> dict:
    """The training and held-out photos with their licences, from the data's manifest."""
    manifest = data / "manifest.json"
    if not manifest.is_file():
        return {}
    photos = json.loads(manifest.read_text()).get("photos", [])

    def table(split: str) -> list[dict]:
        return [
            {"id": p["id"], "source": p["source"], "licence": p["licence"]}
            for p in photos
            if p.get("split") == split
        ]

    return {
        "data": f"`keras-gan make-data photos` ({data.name}/): train/ to train, test/ held out.",
        "training_photos": table("train"),
        "held_out_photos": table("test"),
    }


def _hyperparameters(model) -> dict:
    """The model's config without its serialized networks (what rebuilds it)."""
    config = model.get_config()
    return {
        k: v
        for k, v in config.items()
        if k not in ("name", "trainable") and not (isinstance(v, dict) and "class_name" in v)
    }
