"""Gathers the benchmark reports into bench/results.json and a Markdown table for the README.

Reads the JSON that each script wrote under bench/out/ (a missing one is listed under
`missing`, never invented) and writes:

- `results.json`: one section per benchmark, each with the `machine` it ran on, using the
  field names scripts can rely on: `images_per_s` (training), `frechet` (Fréchet
  distances), `psnr`/`ssim` (restoration quality), `latency_ms` (export runtimes),
  `requests_per_s` (serving);
- `results.md`: the same as Markdown tables; with `--readme`, the block between
  `<!-- bench:start -->` and `<!-- bench:end -->` in that file is replaced by it.

    python bench/collect.py --reports bench/out --out bench/results.json \
        --markdown bench/results.md --readme README.md
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from machine import print_report  # noqa: E402

REPORTS = {
    "training": "train_throughput.json",
    "export": "export_latency.json",
    "serving": "serving.json",
    "noise_quality": "quality.json",
    "restoration_quality": "restoration_quality.json",
}
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def _machine(report: dict) -> dict:
    return report.get("machine", {})


def machine_line(machine: dict) -> str:
    gpus = ", ".join(machine.get("gpus") or []) or "no GPU"
    return (
        f"{machine.get('cpu_count', '?')} CPU cores ({machine.get('cpu', '?')}), {gpus}; "
        f"TensorFlow {machine.get('tensorflow', '?')}, Keras {machine.get('keras', '?')}"
    )


def training_section(report: dict) -> dict:
    def label(row: dict) -> str:  # SRGAN/ESRGAN are timed in two phases
        return f"{row['family']} ({row['phase']})" if row.get("phase") else row["family"]

    keys = ("mode", "precision", "batch_size", "image_size", "images_per_s", "skipped")
    rows = [
        {"family": label(row)} | {key: row.get(key) for key in keys}
        for row in report.get("results", [])
    ]
    keys = ("mode", "fit_images_per_s", "bare_images_per_s", "fit_overhead_pct")
    overhead = [
        {"family": label(row)} | {key: row.get(key) for key in keys}
        for row in report.get("overhead", [])
        if row.get("steps_per_execution", 1) == 1
    ]
    return {"machine": _machine(report), "rows": rows, "fit_overhead": overhead}


def export_section(report: dict) -> dict:
    rows = []
    for preset in report.get("results", []):
        for runtime, figures in preset.get("runtimes", {}).items():
            rows.append(
                {
                    "preset": preset["preset"],
                    "input_size": preset.get("input_size"),
                    "runtime": runtime,
                    "latency_ms": figures.get("latency_ms_median", figures.get("latency_ms")),
                    "size_bytes": figures.get("size_bytes"),
                    "psnr_db": figures.get("psnr_db"),
                }
            )
    speedups = {
        preset["preset"]: preset.get("int8_speedup_vs_float32")
        for preset in report.get("results", [])
    }
    return {
        "machine": _machine(report),
        "settings": report.get("settings", {}),
        "rows": rows,
        "int8_speedup_vs_float32": speedups,
    }


def serving_section(report: dict) -> dict:
    keys = (
        "model",
        "target",
        "batching",
        "concurrency",
        "requests_per_s",
        "ratio_to_in_process",
        "p50_ms",
        "p99_ms",
        "errors",
        "mean_batch_size",
        "server_peak_rss_mb",
    )
    return {
        "machine": _machine(report),
        "settings": report.get("settings", {}),
        "rows": [{key: row.get(key) for key in keys} for row in report.get("results", [])],
        "batching_speedup": report.get("batching_speedup"),
    }


def noise_quality_section(report: dict) -> dict:
    keys = ("family", "steps", "frechet", "classes_present", "conditional_accuracy")
    return {
        "machine": _machine(report),
        "feature_extractor": report.get("feature_extractor"),
        "samples": report.get("samples"),
        "frechet_floor": report.get("frechet_floor"),
        "rows": [
            {key: row.get(key) for key in keys if key in row} for row in report.get("results", [])
        ],
    }


def restoration_quality_section(report: dict) -> dict:
    # One row per preset: {"psnr": ..., "ssim": ..., "lpips": ..., "baseline": {...}}.
    presets: dict[str, dict] = {}
    for row in report.get("results", []):
        entry = presets.setdefault(
            row["preset"],
            {"preset": row["preset"], "images": row.get("images"), "baseline_is": None},
        )
        entry[row["metric"]] = row["model"]
        entry.setdefault("baseline", {})[row["metric"]] = row.get("baseline")
        entry["baseline_is"] = row.get("baseline_is")
        entry.setdefault("conventions", {})[row["metric"]] = row.get("convention")
    return {"machine": _machine(report), "data": report.get("data"), "rows": list(presets.values())}


SECTIONS = {
    "training": training_section,
    "export": export_section,
    "serving": serving_section,
    "noise_quality": noise_quality_section,
    "restoration_quality": restoration_quality_section,
}


def collect(reports_dir: Path) -> dict:
    results = {"missing": []}
    for section, filename in REPORTS.items():
        path = reports_dir / filename
        if not path.is_file():
            results["missing"].append(filename)
            continue
        results[section] = SECTIONS[section](json.loads(path.read_text()))
        results[section]["source"] = str(path)
    return results


def _table(header: list[str], rows: list[list]) -> list[str]:
    def cell(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def _training_table(section: dict) -> list[str]:
    # One row per family: images/s per (mode, precision) column.
    columns: list[tuple[str, str]] = []
    by_family: dict[str, dict] = {}
    for row in section["rows"]:
        key = (row["mode"], row["precision"])
        if key not in columns:
            columns.append(key)
        value = row["images_per_s"] if row.get("images_per_s") is not None else "skipped"
        by_family.setdefault(row["family"], {})[key] = value
    overhead = {
        row["family"]: row for row in section.get("fit_overhead", []) if row.get("mode") == "graph"
    }
    header = ["family"] + [f"{mode} {precision}" for mode, precision in columns]
    header.append("fit overhead % (graph)")
    rows = [
        [family]
        + [values.get(key) for key in columns]
        + [overhead.get(family, {}).get("fit_overhead_pct")]
        for family, values in by_family.items()
    ]
    return _table(header, rows)


def markdown(results: dict) -> str:
    lines: list[str] = []
    if "training" in results:
        section = results["training"]
        lines += [
            "**Training throughput** (images/s), and how much slower our `fit` is than the same "
            "`model.train_step` in a bare `tf.function` loop, over runs of at least 3 s (one "
            "`fit` call each, so what a call costs once counts in; the best of 5 runs of each, "
            "alternating; repeated runs of the same loop differ by up to 9 % here)  ",
            f"Machine: {machine_line(section['machine'])}",
            "",
            *_training_table(section),
            "",
        ]
    if "noise_quality" in results:
        section = results["noise_quality"]
        lines += [
            f"**Sample quality on Fashion-MNIST**: Fréchet distance of {section['samples']} "
            f"samples to the test split in the features of {section['feature_extractor']} "
            f"(real vs real: {section['frechet_floor']}); lower is better  ",
            f"Machine: {machine_line(section['machine'])}",
            "",
            *_table(
                ["family", "training steps", "frechet", "classes present", "conditional accuracy"],
                [
                    [r["family"], r.get("steps"), r.get("frechet"), r.get("classes_present")]
                    + [r.get("conditional_accuracy")]
                    for r in section["rows"]
                ],
            ),
            "",
        ]
    if "restoration_quality" in results:
        section = results["restoration_quality"]
        lines += [
            f"**Restoration quality of the shipped presets** on {section.get('data')}  ",
            f"Machine: {machine_line(section['machine'])}",
            "",
            *_table(
                ["preset", "metric", "model", "baseline", "baseline is"],
                [
                    [r["preset"], metric, r[metric], r["baseline"].get(metric), r["baseline_is"]]
                    for r in section["rows"]
                    for metric in r["baseline"]
                ],
            ),
            "",
        ]
    if "export" in results:
        section = results["export"]
        settings = section.get("settings", {})
        lines += [
            f"**Export runtimes**: median latency of one image over {settings.get('runs', '?')} "
            f"runs, {settings.get('threads', '?')} threads (TFLite with XNNPACK)  ",
            f"Machine: {machine_line(section['machine'])}",
            "",
            *_table(
                ["preset", "runtime", "latency ms", "size MB", "PSNR vs Keras dB"],
                [
                    [r["preset"], r["runtime"], r["latency_ms"]]
                    + [round(r["size_bytes"] / 1e6, 2) if r["size_bytes"] else None, r["psnr_db"]]
                    for r in section["rows"]
                ],
            ),
            "",
            "Full int8 vs float32 TFLite: "
            + ", ".join(
                f"{preset} {speedup}x"
                for preset, speedup in section["int8_speedup_vs_float32"].items()
            ),
            "",
        ]
    if "serving" in results:
        section = results["serving"]
        lines += [
            f"**Serving** {', '.join(section['settings'].get('models') or [])} "
            f"(input {section['settings'].get('image')}); clients in their own process  ",
            f"Machine: {machine_line(section['machine'])}",
            "",
            *_table(
                ["model", "target", "batching", "concurrency", "requests/s", "x in-process"]
                + ["p50 ms", "p99 ms"],
                [
                    [r.get("model"), r["target"], r["batching"], r["concurrency"]]
                    + [r["requests_per_s"], r.get("ratio_to_in_process"), r["p50_ms"], r["p99_ms"]]
                    for r in section["rows"]
                ],
            ),
            "",
        ]
    if results.get("missing"):
        lines.append(f"Not measured (no report): {', '.join(results['missing'])}.")
    return "\n".join(lines).rstrip() + "\n"


def embed(readme: Path, table: str) -> None:
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        raise ValueError(f"{readme} has no {README_START} ... {README_END} block to replace.")
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    readme.write_text(f"{before}{README_START}\n{table}{README_END}{after}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=Path("bench/out"))
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--markdown", type=Path, default=Path("bench/results.md"))
    parser.add_argument("--readme", type=Path, default=None)
    args = parser.parse_args(argv)
    results = collect(args.reports)
    table = markdown(results)
    args.markdown.write_text(table)
    if args.readme:
        embed(args.readme, table)
    print_report(results, args.out)


if __name__ == "__main__":
    main()
