"""Presets as data: one call writes a folder, folders make `Class.presets`, loading checks
sha256, and inference entry points refuse presets that ship no weights."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from keras_gan.cli.main import main
from keras_gan.models import SRGAN, all_presets
from keras_gan.presets import (
    UntrainedPresetError,
    load_preset,
    read_preset,
    save_to_preset,
)
from keras_gan.presets.loader import WEIGHTS_FILE, file_sha256
from keras_gan.registry import list_families
from keras_gan.testing.tiny_configs import tiny_config


@pytest.fixture(scope="module")
def tiny_sr():
    model = SRGAN(**tiny_config("srgan"))
    # Weights that differ from a fresh model's, so a load that does nothing would show.
    model.generator.set_weights([w + 0.01 for w in model.generator.get_weights()])
    return model


def _save(model, folder, **kwargs):
    return save_to_preset(
        model,
        folder,
        config=tiny_config("srgan"),
        description="A tiny x4 network for tests.",
        metrics={"after": {"metric": "psnr_y", "value": 25.5, "baseline": 24.6}},
        recipe=[["train", "srgan", "--data", "{photos}", "--out", "{runs}/tiny"]],
        sample_sheet=np.zeros((8, 8, 3), "float32"),
        **kwargs,
    )


def test_save_to_preset_round_trip(tiny_sr, tmp_path):
    folder = _save(tiny_sr, tmp_path / "presets" / "srgan_tiny_x4")
    entry = read_preset(folder)
    assert entry["name"] == "srgan_tiny_x4" and entry["class_name"] == "SRGAN"
    assert entry["has_weights"] and entry["generator_params"] == tiny_sr.generator.count_params()
    for name, record in entry["files"].items():
        assert file_sha256(folder / name) == record["sha256"], name
    card = (folder / "MODEL_CARD.md").read_text()
    assert "25.5" in card and "beats its baseline" in card and "keras-gan train srgan" in card
    assert entry["files"][WEIGHTS_FILE]["sha256"] in card
    low = np.random.default_rng(0).uniform(-1, 1, (1, 8, 8, 3)).astype("float32")
    loaded = SRGAN.from_preset(folder)
    np.testing.assert_allclose(loaded.predict_images(low), tiny_sr.predict_images(low), atol=1e-6)
    fresh = SRGAN.from_preset(folder, load_weights=False)
    assert not np.allclose(fresh.predict_images(low), tiny_sr.predict_images(low))


def test_existing_folders_and_corrupt_weights_are_refused(tiny_sr, tmp_path):
    folder = _save(tiny_sr, tmp_path / "srgan_tiny_x4")
    with pytest.raises(FileExistsError, match="overwrite"):
        _save(tiny_sr, folder)
    _save(tiny_sr, folder, overwrite=True)  # replaced whole, atomically
    assert sorted(p.name for p in tmp_path.iterdir()) == ["srgan_tiny_x4"]
    (folder / WEIGHTS_FILE).write_bytes(b"\0" * 64)
    with pytest.raises(ValueError, match="generator.weights.h5 does not match its recorded sha256"):
        load_preset(SRGAN, folder)


def test_a_config_that_does_not_rebuild_the_model_is_refused(tiny_sr, tmp_path):
    with pytest.raises(ValueError, match="does not rebuild"):
        save_to_preset(
            tiny_sr, tmp_path / "bad", config={**tiny_config("srgan"), "num_blocks": 3},
            description="wrong",
        )  # fmt: skip
    assert not (tmp_path / "bad").exists() and not list(tmp_path.iterdir())


def test_class_presets_come_from_the_folders():
    presets = all_presets()
    assert len(presets) == 29
    assert sorted(n for n, cls in presets.items() if cls.presets[n]["has_weights"]) == [
        "colorizer_photos_128",
        "srgan_photos_x4",
        "style_transfer_starry_night_mobile",
        "style_transfer_starry_night_mobile_int8",
    ]
    for info in list_families():
        assert info.cls.presets, f"{info.name} has no preset"
        module_folder = Path(sys.modules[info.cls.__module__].__file__).parent
        for name, entry in info.cls.presets.items():
            assert entry["class_name"] == info.cls.__name__
            assert Path(entry["path"]) == module_folder / "presets" / name


def test_weightless_presets_are_refused_where_they_would_be_used_as_trained(tmp_path, capsys):
    from PIL import Image

    photo = tmp_path / "in.png"
    Image.fromarray(np.full((16, 16, 3), 128, np.uint8)).save(photo)
    commands = {
        "esrgan_photos_x4": ["predict", "esrgan_photos_x4", "--input", str(photo), "--out",
                             str(tmp_path / "o.png")],
        "dcgan_fashion_mnist_28": ["sample", "dcgan_fashion_mnist_28", "--out",
                                   str(tmp_path / "o.png")],
        "srresnet_paper_x4": ["export", "onnx", "srresnet_paper_x4", "--out",
                              str(tmp_path / "o.onnx")],
    }  # fmt: skip
    for preset, command in commands.items():
        assert main(command) == 2, command
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1, err
        assert "ships no trained weights" in err and "--allow-untrained" in err, err
        assert f"keras-gan train {preset} --data DIR --out RUN_DIR" in err
    assert not list(tmp_path.glob("o.*"))
    out = tmp_path / "random.png"
    allowed = ["predict", "esrgan_photos_x4", "--input", str(photo), "--out", str(out)]
    assert main([*allowed, "--allow-untrained"]) == 0 and out.exists()
    with pytest.raises(UntrainedPresetError):
        from keras_gan.models import load_gan

        load_gan("esrgan_photos_x4")


def test_presets_command_lists_every_preset(capsys):
    assert main(["presets", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 29 and sum(row["weights"] for row in rows) == 4
    sr = next(row for row in rows if row["preset"] == "srgan_photos_x4")
    assert sr["family"] == "srgan" and sr["parameters"] == 246_787
    assert sr["held_out"].startswith("psnr_y 25.44 (bicubic 24.6")
    assert main(["presets"]) == 0
    assert "29 presets, 4 with trained weights." in capsys.readouterr().out


def test_a_preset_of_an_ema_model_keeps_what_it_samples(tmp_path):
    from keras_gan.models import DCGAN

    config = {**tiny_config("dcgan"), "ema_decay": 0.9}
    model = DCGAN(**config)
    model.ema_generator.set_weights([w + 0.05 for w in model.generator.get_weights()])
    folder = save_to_preset(model, tmp_path / "dcgan_tiny", config=config, description="t")
    loaded = DCGAN.from_preset(folder)
    np.testing.assert_allclose(loaded.generate(3, seed=1), model.generate(3, seed=1), atol=1e-5)
