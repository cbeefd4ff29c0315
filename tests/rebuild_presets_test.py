"""`make presets`: a shipped preset is rebuilt from the recipe in its metadata through
`keras-gan train` and written by `keras-gan preset save` (recipes capped to a few steps)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from keras_gan.models import SRGAN
from keras_gan.presets import read_preset
from keras_gan.presets.loader import file_sha256
from keras_gan.testing.cli import run_keras_gan

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from rebuild_presets import beats_baseline, shortened  # noqa: E402


def test_recipe_stages_are_capped_and_judged_against_the_baseline():
    stage = ["train", "x", "--epochs", "10", "--steps", "150", "--batch-size", "16"]
    assert shortened(stage, 1, 2) == ["train", "x", "--epochs", "1", "--steps", "2",
                                      "--batch-size", "16"]  # fmt: skip
    assert shortened(stage, None, None) == stage
    assert beats_baseline({"value": 25.4, "baseline": 24.6, "lower_is_better": False})
    assert not beats_baseline({"value": 19.9, "baseline": 21.2, "lower_is_better": False})
    assert beats_baseline({"value": 0.1, "baseline": 0.3, "lower_is_better": True})
    assert not beats_baseline({})


@pytest.mark.slow
def test_a_shipped_preset_rebuilds_from_its_recipe(tmp_path):
    shipped = SRGAN.presets["srgan_photos_x4"]
    shipped_sha = file_sha256(Path(shipped["path"]) / "generator.weights.h5")
    photos = tmp_path / "photos"
    made = run_keras_gan("make-data", "photos", "--out", str(photos))
    assert made.returncode == 0, made.stderr
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rebuild_presets.py"), "--photos", str(photos),
         "--runs", str(tmp_path / "runs"), "--into", str(tmp_path / "presets"),
         "--only", "srgan_photos_x4", "--max-epochs", "1", "--max-steps", "2"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    folder = tmp_path / "presets" / "srgan_photos_x4"
    entry = read_preset(folder)
    run = json.loads((tmp_path / "runs" / "srgan_photos_x4" / "run.json").read_text())
    assert entry["metrics"] == run["held_out"] and entry["recipe"] == shipped["recipe"]
    assert entry["config"] == shipped["config"]
    assert entry["training"]["steps_per_epoch"] == 2 and entry["training_photos"]
    for name, record in entry["files"].items():
        assert file_sha256(folder / name) == record["sha256"], name
    card = (folder / "MODEL_CARD.md").read_text()
    assert f"{run['held_out']['after']['value']:.4g}" in card
    # The rebuilt preset loads by folder; the shipped one was not touched.
    assert SRGAN.from_preset(folder).scale == 4
    assert file_sha256(Path(shipped["path"]) / "generator.weights.h5") == shipped_sha
