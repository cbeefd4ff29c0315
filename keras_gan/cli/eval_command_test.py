"""`keras-gan eval`: the table, the JSON, the SR numbers against the library's, the errors."""

import json
import math

import numpy as np
import pytest
from PIL import Image
from skimage import data as skimage_data

from keras_gan.cli.main import main
from keras_gan.data import CorruptImageWarning
from keras_gan.data.super_resolution import downscale
from keras_gan.metrics import psnr, ssim
from keras_gan.models import SRGAN
from keras_gan.models.dcgan import DCGAN
from keras_gan.testing.tiny_configs import tiny_config


@pytest.fixture(scope="module")
def photo_dir(tmp_path_factory):
    """Two 96x96 crops of real photos, as PNG files."""
    folder = tmp_path_factory.mktemp("photos")
    crops = [skimage_data.astronaut()[100:196, 180:276], skimage_data.coffee()[150:246, 250:346]]
    for index, crop in enumerate(crops):
        Image.fromarray(crop).save(folder / f"photo_{index}.png")
    return folder


@pytest.fixture(scope="module")
def dcgan_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "dcgan.keras"
    DCGAN(**tiny_config("dcgan")).save(path)
    return path


@pytest.fixture(autouse=True)
def _trained_fashion_classifier(fashion_classifier):
    """Every test here may score with `--features fashion` (the default for 28x28 models),
    which loads the classifier from the cache: trained once per clean clone by the fixture."""


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_super_resolution_psnr_and_ssim_match_the_library_and_beat_bicubic(
    photo_dir, tmp_path, capsys
):
    out = tmp_path / "sr.json"
    argv = ["eval", "srgan_photos_x4", "--data", str(photo_dir), "--metrics", "psnr,ssim"]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "BT.601 luma (Y), 4 border pixel(s) shaved" in printed
    assert "metric | model" in printed and "baseline" in printed
    results = json.loads(out.read_text())
    assert (results["model"], results["family"], results["num_images"]) == (
        "srgan_photos_x4",
        "SRGAN",
        2,
    )
    assert (results["y_channel"], results["shave"]) == (True, 4)

    model = SRGAN.from_preset("srgan_photos_x4")
    photos = [np.asarray(Image.open(p), "float32") / 127.5 - 1 for p in sorted(photo_dir.iterdir())]
    outputs = [model.upscale(np.asarray(downscale(photo, 4))) for photo in photos]
    for name, function in (("psnr", psnr), ("ssim", ssim)):
        expected = np.mean(
            [function(o, p, y_channel=True, shave=4) for o, p in zip(outputs, photos, strict=True)]
        )
        assert results["metrics"][name]["model"] == pytest.approx(expected, rel=1e-6)
    assert results["metrics"]["psnr"]["model"] > results["metrics"]["psnr"]["baseline"]


def test_noise_model_fid_and_kid_on_fashion_mnist(dcgan_file, tmp_path, capsys):
    out = tmp_path / "dcgan.json"
    argv = ["eval", str(dcgan_file), "--data", "fashion-mnist", "--metrics", "fid,kid"]
    argv += ["--features", "fashion", "--num-samples", "200", "--limit", "500"]
    assert main([*argv, "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert results["data"] == "fashion-mnist" and results["features"] == "fashion"
    assert (results["num_images"], results["num_outputs"]) == (500, 200)
    assert sorted(results["metrics"]) == ["frechet", "kid"]
    fid, kid = results["metrics"]["frechet"]["model"], results["metrics"]["kid"]["model"]
    assert math.isfinite(fid) and fid > 0 and math.isfinite(kid)
    assert results["metrics"]["frechet"]["baseline"] is None
    assert "frechet" in capsys.readouterr().out


def test_errors_exit_2_with_one_line(dcgan_file, photo_dir, tmp_path, capsys):
    model = str(dcgan_file)
    assert main(["eval", model, "--data", str(photo_dir), "--metrics", "fid,sharpness"]) == 2
    assert "Valid metrics: frechet, kid, inception_score, psnr, ssim, lpips" in _error_line(capsys)

    assert main(["eval", model, "--data", "fashion-mnist", "--metrics", "psnr"]) == 2
    line = _error_line(capsys)
    assert "psnr" in line and "DCGAN" in line and "noise" in line

    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["eval", model, "--data", str(empty)]) == 2
    assert "No images found" in _error_line(capsys)

    assert main(["eval", model, "--data", str(tmp_path / "missing")]) == 2
    assert "no such folder" in _error_line(capsys)

    assert main(["eval", str(tmp_path / "none.keras"), "--data", "fashion-mnist"]) == 2
    assert "none.keras" in _error_line(capsys)


def test_a_missing_weights_file_is_one_line_exit_2(dcgan_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KERAS_GAN_VGG16_WEIGHTS", str(tmp_path / "absent_vgg16.npz"))
    argv = ["eval", str(dcgan_file), "--data", "fashion-mnist", "--metrics", "fid"]
    assert main([*argv, "--features", "vgg16", "--num-samples", "10", "--limit", "10"]) == 2
    assert "absent_vgg16.npz" in _error_line(capsys)


def test_corrupt_image_files_are_skipped_with_a_warning_naming_them(dcgan_file, tmp_path):
    folder = tmp_path / "real"
    folder.mkdir()
    for index in range(3):
        Image.fromarray(np.full((28, 28), 40 * index, np.uint8)).save(folder / f"{index}.png")
    (folder / "broken.png").write_bytes(b"not a png")
    argv = ["eval", str(dcgan_file), "--data", str(folder), "--metrics", "fid"]
    out = tmp_path / "r.json"
    with pytest.warns(CorruptImageWarning, match="broken.png"):
        assert main([*argv, "--features", "fashion", "--num-samples", "10", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["num_images"] == 3
