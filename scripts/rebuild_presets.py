"""Rebuild the presets that ship weights from the recipes in their metadata (`make presets`).

    keras-gan make-data photos --out runs/photos
    python scripts/rebuild_presets.py --photos runs/photos --runs runs/presets [--only NAME]

Each recipe stage is a `keras-gan train` command (`{photos}` and `{runs}` stand for the
folders given here); the last stage's RUN_DIR/model.keras is then written over the preset's
folder by `keras-gan preset save --like NAME --run-dir RUN_DIR`, so the weights, their sha256,
the held-out scores and the card come from that one call. `--max-epochs` / `--max-steps`
shorten every stage (a quick check of the recipes, not a preset worth shipping), and
`--into DIR` writes the folders under DIR instead of over the shipped ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from keras_gan.cli.main import main as keras_gan
from keras_gan.models import all_presets


def shortened(stage: list[str], max_epochs: int | None, max_steps: int | None) -> list[str]:
    """The stage with `--epochs` / `--steps` capped."""
    stage = list(stage)
    for flag, cap in (("--epochs", max_epochs), ("--steps", max_steps)):
        if cap is not None and flag in stage:
            index = stage.index(flag) + 1
            stage[index] = str(min(int(stage[index]), cap))
    return stage


def beats_baseline(scores: dict) -> bool:
    """Whether held-out scores beat their baseline (True where the family has none)."""
    if scores.get("baseline") is None:
        return bool(scores)
    if scores.get("lower_is_better"):
        return scores["value"] < scores["baseline"]
    return scores["value"] > scores["baseline"]


def rebuild(name: str, photos: Path, runs: Path, into: Path | None, caps) -> Path:
    entry = all_presets()[name].presets[name]
    if not entry.get("recipe"):
        raise ValueError(f"Preset {name!r} has no recipe to rebuild it from.")
    folder = Path(entry["path"]) if into is None else into / name
    run_dir = None
    for stage in entry["recipe"]:
        args = [part.format(photos=photos, runs=runs) for part in shortened(stage, *caps)]
        print("keras-gan " + " ".join(args), flush=True)
        if keras_gan(args) != 0:
            raise SystemExit(f"{name}: the stage failed: keras-gan {' '.join(args)}")
        run_dir = Path(args[args.index("--out") + 1])
    after = json.loads((run_dir / "run.json").read_text())["held_out"].get("after", {})
    if into is None and not beats_baseline(after):
        raise SystemExit(
            f"{name}: the rebuilt model does not beat its baseline on held-out data ({after}); "
            "the shipped preset is left as it was."
        )
    save = ["preset", "save", str(run_dir / "model.keras"), str(folder), "--like", entry["path"]]
    if keras_gan([*save, "--run-dir", str(run_dir), "--overwrite"]) != 0:
        raise SystemExit(f"{name}: writing the preset folder failed")
    return folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=Path, required=True, help="keras-gan make-data photos")
    parser.add_argument("--runs", type=Path, default=Path("runs/presets"))
    parser.add_argument("--only", action="append", help="rebuild this preset only (repeatable)")
    parser.add_argument("--into", type=Path, help="write the folders here, not over the shipped")
    parser.add_argument("--max-epochs", type=int, help="cap every stage's --epochs")
    parser.add_argument("--max-steps", type=int, help="cap every stage's --steps")
    args = parser.parse_args(argv)
    shipped = sorted(n for n, cls in all_presets().items() if cls.presets[n].get("recipe"))
    names = args.only or shipped
    if unknown := sorted(set(names) - set(shipped)):
        parser.error(f"no recipe for {unknown}; presets with one: {shipped}")
    for name in names:
        folder = rebuild(name, args.photos, args.runs, args.into, (args.max_epochs, args.max_steps))
        print(f"{name}: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
