"""The one run path as a newcomer meets it: every kind of family trains from the CLI's
`train`, held-out data never trains, only the chief writes RUN_DIR, and the log reads well."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
from PIL import Image

from keras_gan.models.image_translation.translation_run import paired_run_data
from keras_gan.run import RunConfig, worker_run_dir
from keras_gan.testing.tiny_configs import tiny_config
from keras_gan.training import train_run

_SAMPLES = ("astronaut", "coffee", "chelsea", "rocket", "camera", "immunohistochemistry")


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """A photo folder with train/ (4 photos) and test/ (2 photos) from scikit-image."""
    from skimage import data

    root = tmp_path_factory.mktemp("photos")
    for i, name in enumerate(_SAMPLES):
        image = getattr(data, name)()
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=-1)
        split = "train" if i < 4 else "test"
        (root / split).mkdir(exist_ok=True)
        Image.fromarray(image[:256, :256]).save(root / split / f"{name}.png")
    return root


@pytest.mark.parametrize(
    "family, settings",
    [
        ("srgan", {"image_size": 32}),
        ("esrgan", {"image_size": 32}),
        ("colorizer", {}),
        ("style_transfer", {"style_images": ()}),
    ],
)
def test_photo_families_train_through_the_run_path(family, settings, photos, tmp_path):
    if family == "style_transfer":  # the style image: a held-out-free photo of its own
        style = tmp_path / "style.png"
        from skimage import data

        Image.fromarray(data.chelsea()).save(style)
        settings = {"style_images": (str(style),), "image_size": 32}
        kwargs = tiny_config(family, num_styles=1)
    else:
        kwargs = tiny_config(family)
    result = train_run(
        family, str(photos), tmp_path / "run", epochs=2, steps=2, batch_size=2,
        model_kwargs=kwargs, verbose=0, **settings,
    )  # fmt: skip
    record = json.loads((tmp_path / "run" / "run.json").read_text())
    held_out = record["held_out"]
    assert record["family"] == family and record["epochs_done"] == 2
    assert held_out["split"] == "test" and held_out["examples"] >= 2
    for moment in ("before", "after"):
        assert np.isfinite(held_out[moment]["value"]), held_out
    if family in ("srgan", "esrgan", "colorizer"):  # judged against bicubic / the gray photo
        assert held_out["after"]["baseline_name"] in ("bicubic", "gray")
        assert held_out["before"]["baseline"] == held_out["after"]["baseline"]
    assert (tmp_path / "run" / "samples" / "epoch_0002.png").exists()
    loaded = keras.saving.load_model(tmp_path / "run" / "model.keras")
    assert type(loaded) is type(result.model)


def test_resume_continues_a_photo_run(photos, tmp_path):
    run = tmp_path / "run"
    settings = dict(batch_size=2, steps=1, image_size=32, model_kwargs=tiny_config("srgan"))
    train_run("srgan", str(photos), run, epochs=1, verbose=0, **settings)
    resumed = train_run("srgan", str(photos), run, epochs=2, resume=True, verbose=0, **settings)
    assert resumed.epochs_done == 2
    assert int(resumed.model.g_optimizer.iterations) == 2


def _pairs(folder, count, offset):
    folder.mkdir(parents=True)
    rng = np.random.default_rng(offset)
    for i in range(count):
        Image.fromarray(rng.integers(0, 255, (32, 32, 3), np.uint8)).save(folder / f"{i}.png")


def test_a_held_out_split_in_the_a_b_layout_never_trains(tmp_path):
    """`A/train, A/test, B/train, B/test`: the documented layout once trained on A/test too."""
    for side in "AB":
        _pairs(tmp_path / side / "train", 5, 0)
        _pairs(tmp_path / side / "test", 3, 1)
    model = keras_gan_pix2pix()
    run = paired_run_data(model, str(tmp_path), RunConfig(batch_size=1))
    assert run.examples_per_epoch == 5 and run.held_out_split == "test"
    assert len(run.held_out[0]) == 3


def keras_gan_pix2pix():
    from keras_gan.models import Pix2Pix

    return Pix2Pix(**tiny_config("pix2pix", image_size=128, load_size=128))


def test_only_the_chief_writes_the_run_directory(tmp_path):
    cluster = {"worker": ["localhost:1", "localhost:2"]}
    chief = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": 0}})
    other = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": 1}})
    assert worker_run_dir(tmp_path, "multi_worker", chief) == (tmp_path, True)
    directory, is_chief = worker_run_dir(tmp_path, "multi_worker", other)
    assert not is_chief and tmp_path not in directory.parents and directory != tmp_path
    assert worker_run_dir(tmp_path, "default", other) == (tmp_path, True)


def test_run_config_refuses_bad_settings():
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        RunConfig(epochs=0)
    with pytest.raises(ValueError, match="Unknown strategy"):
        RunConfig(strategy="tpu")


def test_the_cli_log_has_no_banner_and_one_line_per_epoch(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    done = subprocess.run(
        [sys.executable, "-m", "keras_gan.cli.main", "train", "dcgan", "--data",
         "fashion-mnist", "--out", str(tmp_path / "run"), "--epochs", "2", "--steps", "2",
         "--batch-size", "8"],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    log = done.stdout + done.stderr
    for noise in ("I0000", "cuInit", "absl::InitializeLog", "shuffle=True", "retracing"):
        assert noise not in log, (noise, log[-3000:])
    assert "\r" not in done.stdout and "\x08" not in done.stdout
    epoch_lines = [line for line in done.stdout.splitlines() if line.startswith("2/2 - ")]
    assert len(epoch_lines) == 2, done.stdout  # one line per epoch


def test_a_config_that_contradicts_its_networks_is_refused():
    from keras_gan.models import DCGAN, Pix2Pix

    config = DCGAN(**tiny_config("dcgan")).get_config()
    with pytest.raises(ValueError, match="contradicts itself: image_size=64"):
        DCGAN.from_config({**config, "image_size": 64})
    config = Pix2Pix(**tiny_config("pix2pix")).get_config()
    with pytest.raises(ValueError, match="contradicts itself: input_channels=1"):
        Pix2Pix.from_config({**config, "input_channels": 1})
