import json

import pytest

from keras_gan.cli.main import main
from keras_gan.models import StyleTransfer
from keras_gan.testing.cli import run_keras_gan

TINY_STYLE = dict(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32)


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "style.keras"
    StyleTransfer(**TINY_STYLE).save(path)
    return path


def test_export_savedmodel_and_tflite_from_a_keras_file(model_file, tmp_path):
    out = tmp_path / "serving" / "styler" / "1"
    done = run_keras_gan("export", "savedmodel", str(model_file), "--out", str(out), "--runs", "1")
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}" in done.stdout and "parity savedmodel" in done.stdout
    assert (out / "saved_model.pb").exists()
    assert (out / "assets.extra" / "tf_serving_warmup_requests").exists()
    assert json.loads((out.parent / "1.parity.json").read_text())["passed"]
    # In-process for speed: a fixed-size float16 TFLite file with its sidecar.
    lite = tmp_path / "style.tflite"
    argv = [
        "export",
        "tflite",
        str(model_file),
        "--out",
        str(lite),
        "--quantize",
        "float16",
        "--input-size",
        "16",
        "24",
        "--runs",
        "1",
    ]
    assert main(argv) == 0
    assert json.loads((tmp_path / "style.json").read_text())["inputs"][0]["shape"] == [1, 16, 24, 3]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["tflite", "{model}", "--out", "{out}/x.tflite", "--quantize", "int8"],
            "representative_data",
        ),
        (
            ["tflite", "{model}", "--out", "{out}/x.tflite", "--input-size", "30"],
            "multiples of size_multiple=4",
        ),
        (["onnx", "{out}/missing.keras", "--out", "{out}/x.onnx"], "No model file"),
        (["onnx", "{out}/corrupt.keras", "--out", "{out}/x.onnx"], "not a valid .keras file"),
        (["savedmodel", "{model}", "--out", "{out}/m/latest"], "numeric VERSION"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    model_file, tmp_path, capsys, args, message
):
    (tmp_path / "corrupt.keras").write_bytes(b"not a zip")
    argv = ["export", *(a.format(model=model_file, out=tmp_path) for a in args)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("keras-gan export: error:") and message in err and "\n" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.keras"]


def test_unknown_quantize_mode_is_an_argparse_error(model_file, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "export",
                "tflite",
                str(model_file),
                "--out",
                str(tmp_path / "x.tflite"),
                "--quantize",
                "int4",
            ]
        )
    assert exit_info.value.code == 2
    assert "invalid choice: 'int4'" in capsys.readouterr().err
