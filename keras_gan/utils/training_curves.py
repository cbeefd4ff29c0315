"""Training curves of a run, drawn from the `metrics.csv` that `keras-gan train` writes."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np


def read_metrics_log(path: str | Path) -> dict[str, np.ndarray]:
    """Reads a Keras `CSVLogger` file into columns of floats (`NA` becomes NaN).

    Raises:
        FileNotFoundError: when the file is missing.
        ValueError: when it has no rows or no `epoch` column.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No metrics log at {path} (keras-gan train writes metrics.csv).")
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    if not rows or "epoch" not in rows[0]:
        raise ValueError(f"{path} has no epochs logged yet (empty, or no `epoch` column).")

    def number(text: str | None) -> float:
        try:
            return float(text)
        except (TypeError, ValueError):
            return math.nan

    return {name: np.array([number(row.get(name)) for row in rows]) for name in rows[0]}


def _steps_per_epoch(run_dir: Path) -> int | None:
    run_file = run_dir / "run.json"
    if not run_file.is_file():
        return None
    try:
        steps = json.loads(run_file.read_text()).get("steps_per_epoch")
    except (json.JSONDecodeError, AttributeError):
        return None
    return int(steps) if steps else None


def curve_panels(columns: dict[str, np.ndarray], names: list[str] | None = None) -> dict:
    """Groups logged columns into panels: `x` and its `val_x` share one.

    Columns with no finite value are dropped. `names` keeps only those panels (an
    unknown name raises `ValueError` listing the known ones).
    """
    logged = [
        name for name, values in columns.items() if name != "epoch" and np.isfinite(values).any()
    ]
    panels: dict[str, list[str]] = {}
    for name in logged:
        panels.setdefault(name.removeprefix("val_"), []).append(name)
    if names:
        unknown = [name for name in names if name not in panels]
        if unknown:
            raise ValueError(
                f"Not in the metrics log: {', '.join(unknown)}. Logged: {', '.join(panels)}"
            )
        panels = {name: panels[name] for name in names}
    return panels


def plot_training_curves(
    run_dir: str | Path, out: str | Path | None = None, names: list[str] | None = None
) -> Path:
    """Draws every logged loss and metric of `run_dir` against training steps into a PNG.

    One panel per quantity (training and `val_` values together); the x axis is the
    step at each epoch's end when `run.json` records `steps_per_epoch`, else the epoch.

    Args:
        run_dir: a run directory holding `metrics.csv` (and usually `run.json`).
        out: the PNG to write; default `RUN_DIR/curves.png`.
        names: the quantities to draw (default all).

    Returns:
        The path of the PNG.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"No run directory at {run_dir}.")
    columns = read_metrics_log(run_dir / "metrics.csv")
    panels = curve_panels(columns, names)
    if not panels:
        raise ValueError(f"{run_dir / 'metrics.csv'} has no finite values to plot.")
    steps = _steps_per_epoch(run_dir)
    epochs = columns["epoch"] + 1
    x, x_label = (epochs * steps, "step") if steps else (epochs, "epoch")

    width = min(3, len(panels))
    height = math.ceil(len(panels) / width)
    figure, axes = pyplot.subplots(
        height, width, figsize=(4.2 * width, 3.0 * height), squeeze=False
    )
    for axis, (title, series) in zip(axes.flat, panels.items(), strict=False):
        for name in series:
            values = columns[name]
            finite = np.isfinite(values)
            style = "--" if name.startswith("val_") else "-"
            marker = "o" if finite.sum() < 30 else None
            axis.plot(x[finite], values[finite], style, marker=marker, markersize=3, label=name)
        axis.set_title(title)
        axis.set_xlabel(x_label)
        axis.grid(alpha=0.3)
        if len(series) > 1:
            axis.legend(fontsize="small")
    for axis in list(axes.flat)[len(panels) :]:
        axis.set_visible(False)
    figure.suptitle(run_dir.name)
    figure.tight_layout()
    out = Path(out) if out else run_dir / "curves.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100)
    pyplot.close(figure)
    return out
