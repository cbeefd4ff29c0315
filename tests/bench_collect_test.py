"""bench/collect.py gathers the reports under the field names scripts rely on, and fills the README."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
MACHINE = {"cpu": "x86_64", "cpu_count": 2, "gpus": [], "tensorflow": "2.21.0", "keras": "3.15"}


def _load_collect():
    spec = importlib.util.spec_from_file_location("collect", BENCH / "collect.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))
    spec.loader.exec_module(module)
    return module


def _write(directory: Path, name: str, report: dict) -> None:
    (directory / name).write_text(json.dumps({"machine": MACHINE, **report}))


def test_reports_become_named_fields_and_a_readme_table(tmp_path):
    collect = _load_collect()
    _write(
        tmp_path,
        "train_throughput.json",
        {
            "results": [
                {"family": "dcgan", "mode": "graph", "precision": "float32", "images_per_s": 900.0},
                {"family": "dcgan", "mode": "xla", "precision": "float32", "images_per_s": 700.0},
            ],
            "overhead": [
                {
                    "family": "dcgan",
                    "mode": "graph",
                    "fit_overhead_pct": 9.0,
                    "per_step_overhead_pct": 2.5,
                    "fit_call_ms": 40.0,
                }
            ],
        },
    )
    _write(
        tmp_path,
        "export_latency.json",
        {
            "settings": {"runs": 5, "threads": 2},
            "results": [
                {
                    "preset": "p",
                    "int8_speedup_vs_float32": 4.0,
                    "runtimes": {"tflite_int8": {"latency_ms_median": 11.0, "size_bytes": 2e6}},
                }
            ],
        },
    )
    results = collect.collect(tmp_path)
    assert results["training"]["rows"][1]["images_per_s"] == 700.0
    assert results["training"]["fit_overhead"][0]["fit_overhead_pct"] == 9.0
    assert results["export"]["rows"][0]["latency_ms"] == 11.0
    assert results["export"]["machine"]["cpu_count"] == 2
    assert "serving.json" in results["missing"] and "quality.json" in results["missing"]

    table = collect.markdown(results)
    assert "| dcgan | 900 | 700 | 9 |" in table
    assert "Machine: 2 CPU cores (x86_64), no GPU" in table
    assert "Not measured (no report): serving.json, quality.json" in table

    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\nrest\n")
    collect.embed(readme, table)
    text = readme.read_text()
    assert "old" not in text and "| dcgan | 900 | 700 | 9 |" in text
    assert text.startswith("intro\n") and text.endswith("<!-- bench:end -->\nrest\n")

    readme.write_text("no markers")
    with pytest.raises(ValueError, match="no <!-- bench:start -->"):
        collect.embed(readme, table)
