"""Pix2Pix and CycleGAN as a newcomer runs them: make-data, train on real images, look."""

import json

import keras
import numpy as np
import pytest
from PIL import Image

from keras_gan.cli.main import main
from keras_gan.models import Pix2Pix
from keras_gan.testing.cli import run_keras_gan
from keras_gan.training import train_run


@pytest.mark.slow
def test_pix2pix_on_real_photo_pairs_lowers_held_out_l1(tmp_path):
    data, run = tmp_path / "photos", tmp_path / "run"
    made = run_keras_gan("make-data", "photo-pairs", "--out", str(data), "--crops-per-photo", "8")
    assert made.returncode == 0, made.stderr
    manifest = json.loads((data / "manifest.json").read_text())
    train_photos = {p["id"] for p in manifest["photos"] if p["split"] == "train"}
    test_photos = {p["id"] for p in manifest["photos"] if p["split"] == "test"}
    assert train_photos and test_photos and not train_photos & test_photos
    result = run_keras_gan(
        "train", "pix2pix", "--data", str(data), "--out", str(run),
        "--preset", "pix2pix_photo_pairs_128", "--epochs", "2", "--steps", "40",
        "--batch-size", "4",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    held_out = json.loads((run / "run.json").read_text())["held_out"]
    assert held_out["split"] == "test" and held_out["examples"] >= 8  # >= 1 photo x 8 crops
    assert held_out["after"]["value"] < 0.6 * held_out["before"]["value"], held_out
    assert "Held-out l1" in result.stdout
    sheet = np.asarray(Image.open(run / "samples" / "epoch_0002.png"))
    assert sheet.shape[1] > 3 * 128  # input | output | target
    model = keras.saving.load_model(run / "model.keras")
    photo = np.asarray(Image.open(sorted((data / "test").glob("*.png"))[0]), "float32")
    gray = photo[:, :128] / 127.5 - 1.0
    assert model.translate(gray).shape == (1, 128, 128, 3)


@pytest.mark.slow
def test_cyclegan_on_fashion_mnist_classes_lowers_held_out_cycle_error(tmp_path):
    data, run = tmp_path / "shoes", tmp_path / "run"
    made = run_keras_gan(
        "make-data", "fashion-unpaired", "--out", str(data),
        "--per-class-train", "300", "--per-class-test", "40",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert {p.name for p in data.iterdir()} >= {"trainA", "trainB", "testA", "testB"}
    result = run_keras_gan(
        "train", "cyclegan", "--data", str(data), "--out", str(run),
        "--preset", "cyclegan_fashion_32", "--epochs", "2", "--steps", "40",
        "--batch-size", "4",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    held_out = json.loads((run / "run.json").read_text())["held_out"]
    assert held_out["after"]["value"] < 0.5 * held_out["before"]["value"], held_out
    assert (run / "samples" / "epoch_0002.png").exists()
    model = keras.saving.load_model(run / "model.keras")
    boots = model.translate(np.zeros((2, 32, 32, 1), "float32"), direction="BtoA")
    assert boots.shape == (2, 32, 32, 1)


def _save(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)


def _messy_paired_folder(data):
    rng = np.random.default_rng(0)
    for i in range(6):
        _save(data / "A" / f"img{i}.png", rng.integers(0, 255, (40, 40, 3), np.uint8))
        size = 40 if i % 2 else 52  # partners of different sizes
        _save(data / "B" / f"img{i}.jpg", rng.integers(0, 255, (size, size, 3), np.uint8))
    _save(data / "A" / "gray.png", rng.integers(0, 255, (40, 40), np.uint8))  # grayscale
    _save(data / "B" / "gray.png", rng.integers(0, 255, (40, 40, 4), np.uint8))  # RGBA
    _save(data / "A" / "lonely.png", rng.integers(0, 255, (40, 40, 3), np.uint8))
    (data / "B" / "broken.png").write_bytes(b"not a png")
    (data / "A" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")


def test_a_newcomers_messy_paired_folders_train_and_name_the_odd_files(tmp_path):
    data = tmp_path / "pairs"
    _messy_paired_folder(data)
    tiny = {
        "generator_type": "resnet_6blocks",
        "filters": 4,
        "discriminator_filters": 4,
        "image_size": 32,
        "load_size": 36,
    }
    with pytest.warns(UserWarning) as warned:
        result = train_run(
            "pix2pix", str(data), tmp_path / "run", epochs=1, steps=2, batch_size=2,
            model_kwargs=tiny, verbose=0,
        )  # fmt: skip
    messages = " ".join(str(w.message) for w in warned.list)
    assert "lonely.png" in messages  # no partner in B/
    assert "broken.png" in messages  # unreadable
    assert isinstance(result.model, Pix2Pix)
    assert (tmp_path / "run" / "model.keras").exists()
    assert (tmp_path / "run" / "samples" / "epoch_0001.png").exists()


def test_bad_translation_input_gets_one_line_errors(tmp_path, capsys):
    data = tmp_path / "pairs"
    _messy_paired_folder(data)
    args = ["--out", str(tmp_path / "run"), "--epochs", "1", "--steps", "2"]
    code = main(["train", "pix2pix", "--data", str(data), "--image-size", "32", *args])
    assert code == 2
    assert "multiple of 256" in capsys.readouterr().err  # unet_256 cannot take 32x32
    (tmp_path / "unpaired" / "trainA").mkdir(parents=True)
    code = main(["train", "cyclegan", "--data", str(tmp_path / "unpaired"), *args])
    assert code == 2
    assert "trainB" in capsys.readouterr().err
    code = main(["train", "pix2pix", "--data", str(data), "--ema-decay", "0.9", *args])
    assert code == 2
