import json

import numpy as np
import pytest

from keras_gan.export.parity import (
    PSNR_CAP,
    check_targets,
    compare,
    fit_image,
    parity_path,
    parity_report,
    write_report,
)


def test_compare_against_a_hand_computation():
    reference = np.zeros((1, 2, 2, 1), np.float32)
    exported = reference.copy()
    exported[0, 1, 0, 0] = 0.02  # 0.02 * 127.5 = 2.55 levels on one of 4 pixels
    metrics = compare(reference, exported)
    assert metrics["max_abs_error"] == pytest.approx(0.02)
    assert metrics["mean_abs_error"] == pytest.approx(0.005)
    mse = 2.55**2 / 4
    assert metrics["psnr_db"] == pytest.approx(10 * np.log10(255**2 / mse), abs=1e-6)
    assert metrics["worst_index"] == [0, 1, 0, 0]
    assert compare(reference, reference)["psnr_db"] == PSNR_CAP
    with pytest.raises(ValueError, match="shape"):
        compare(reference, reference[:, :1])


def test_targets_pass_and_fail_at_the_threshold():
    ok = check_targets("tflite:int8", {"psnr_db": 30.0})
    assert ok == [{"metric": "psnr_db", "min": 30.0, "value": 30.0, "passed": True}]
    assert not check_targets("onnx", {"max_abs_error": 2e-4})[0]["passed"]


def test_report_names_the_failing_output_and_unquantized_ops(tmp_path, capsys):
    samples = [[np.zeros((1, 4, 4, 3), np.float32)], [np.ones((1, 4, 4, 3), np.float32) * 0.5]]

    def reference(sample):
        return np.tanh(sample[0])

    def exported(sample):
        out = np.tanh(sample[0]).copy()
        out[0, 3, 2, 1] += 0.5
        return out

    report = parity_report(
        reference,
        exported,
        samples,
        target="tflite:int8",
        runs=2,
        size_bytes=7,
        extra={"float_ops": {"POW": 1}},
    )
    assert report["passed"] is False and report["samples"] == 2
    assert report["diagnosis"]["largest_error_output"] == "images"
    assert report["diagnosis"]["ops_not_quantized"] == ["POW"]
    assert report["diagnosis"]["largest_error_at"] == [3, 2, 1]
    assert report["latency_ms_median"] >= 0 and report["latency_runs"] == 2
    path = write_report(report, tmp_path / "x.tflite")
    assert path == tmp_path / "x.tflite.parity.json" == parity_path(tmp_path / "x.tflite")
    assert json.loads(path.read_text())["file_size_bytes"] == 7
    assert "FAILED" in capsys.readouterr().out
    with pytest.raises(ValueError, match="Unknown parity target"):
        parity_report(reference, exported, samples, target="tflite:int4")


def test_fit_image_crops_the_centre_to_the_aspect():
    image = np.zeros((10, 40, 1), np.uint8)
    image[:, 15:25] = 255  # the centred 10x10 square is bright, the sides dark
    fitted = fit_image(image, 8, 8)
    assert fitted.shape == (8, 8, 1) and fitted.dtype == np.uint8
    assert fitted.min() > 200  # squashing the whole width would bring dark columns in
    assert fit_image(np.zeros((30, 10, 3), np.uint8), 4, 8).shape == (4, 8, 3)
