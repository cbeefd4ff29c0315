"""The `keras-gan` command as a user runs it: help, train, sample, one-line errors."""

import numpy as np
import pytest
from PIL import Image

from keras_gan.cli.main import main
from keras_gan.testing.cli import run_keras_gan


def _write_images(folder, n, size=28, mode="L"):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        pixels = rng.integers(0, 255, (size, size) if mode == "L" else (size, size, 3), np.uint8)
        Image.fromarray(pixels).save(folder / f"{i}.png")


@pytest.mark.parametrize("command", [[], ["train"], ["sample"], ["demo"]])
def test_help_lists_commands_and_flags(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    expected = {
        "": ["train", "sample", "demo"],
        "train": ["--data", "--out", "--preset", "--strategy", "--mixed-precision", "--resume"],
        "sample": ["--out", "--n", "--seed"],
        "demo": ["--out"],
    }[command[0] if command else ""]
    for word in expected:
        assert word in out


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["train", "biggan", "--data", "fashion-mnist", "--out", "{tmp}/r"],
            "Unknown family 'biggan'",
        ),
        (
            ["train", "dcgan", "--data", "fashion-mnist", "--out", "{tmp}/r", "--preset", "nope"],
            "Unknown preset 'nope'",
        ),
        (
            ["train", "dcgan", "--data", "{tmp}/imgs", "--out", "{tmp}/r", "--image-size", "30"],
            "cannot make images of size 30",
        ),
        (["train", "dcgan", "--data", "{tmp}/empty", "--out", "{tmp}/r"], "empty"),
        (["train", "cgan", "--data", "{tmp}/imgs", "--out", "{tmp}/r"], "labels missing"),
        (["train", "dcgan", "--data", "{tmp}/nowhere", "--out", "{tmp}/r"], "nowhere"),
        (
            ["train", "dcgan", "--data", "fashion-mnist", "--out", "{tmp}/r", "--epochs", "0"],
            "--epochs",
        ),
        (["sample", "{tmp}/missing.keras", "--out", "{tmp}/s.png"], "No model file"),
        (
            ["sample", "not_a_preset", "--out", "{tmp}/s.png"],
            "neither a .keras file nor a known preset",
        ),
        (["sample", "{tmp}/corrupt.keras", "--out", "{tmp}/s.png"], "not a valid .keras file"),
    ],
)
def test_bad_input_gives_one_line_error(args, message, tmp_path, capsys):
    _write_images(tmp_path / "imgs", 4)
    (tmp_path / "empty").mkdir()
    (tmp_path / "corrupt.keras").write_bytes(b"definitely not a zip file")
    code = main([a.replace("{tmp}", str(tmp_path)) for a in args])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert message.lower() in err.lower(), err
    assert not (tmp_path / "r" / "model.keras").exists()


@pytest.mark.slow
def test_train_then_sample_then_resume_from_the_command_line(tmp_path):
    folder = tmp_path / "classes"
    for name in ("circles", "squares"):
        _write_images(folder / name, 16, size=28, mode="L")
    run = tmp_path / "run"
    common = ["train", "cgan", "--data", str(folder), "--out", str(run), "--batch-size", "8"]
    first = run_keras_gan(*common, "--epochs", "1", "--image-size", "28", "--channels", "1")
    assert first.returncode == 0, first.stderr[-2000:]
    assert (run / "model.keras").exists() and (run / "samples" / "epoch_0001.png").exists()
    resumed = run_keras_gan(*common, "--epochs", "2", "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "epoch 2" in resumed.stdout
    lines = (run / "metrics.csv").read_text().strip().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["0", "1"]
    sampled = run_keras_gan(
        "sample",
        str(run / "model.keras"),
        "--out",
        str(tmp_path / "s.png"),
        "--n",
        "8",
        "--labels",
        "1",
    )
    assert sampled.returncode == 0, sampled.stderr[-2000:]
    picture = np.asarray(Image.open(tmp_path / "s.png"))
    assert picture.ndim == 2 and picture.std() > 0
