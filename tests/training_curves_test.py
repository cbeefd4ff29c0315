"""A training run writes TensorBoard scalars and sample images; `keras-gan plot` draws its curves."""

import csv
import io

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_gan.cli.main import main
from keras_gan.training import train_run
from keras_gan.utils.training_curves import curve_panels, read_metrics_log


def _events(directory):
    """(tag, step, value) of every summary under `directory`."""
    found = []
    for path in sorted(directory.rglob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                found.append((value.tag, event.step, tf.make_ndarray(value.tensor)))
    return found


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, fashion_classifier):
    out = tmp_path_factory.mktemp("runs") / "dcgan"
    result = train_run(
        "dcgan",
        "fashion-mnist",
        out,
        epochs=2,
        steps=3,
        batch_size=16,
        model_kwargs={"latent_dim": 8, "base_filters": 4},
        verbose=0,
        eval_every=2,
        eval_metrics="frechet,kid",
        eval_samples=200,
    )
    assert result.stopped_reason is None
    return out


def test_tensorboard_scalars_match_the_metrics_log(run_dir):
    with (run_dir / "metrics.csv").open() as file:
        rows = list(csv.DictReader(file))
    scalars = {
        (tag, step): float(value)
        for tag, step, value in _events(run_dir / "tensorboard" / "train")
        if value.ndim == 0
    }
    assert len(rows) == 2
    for epoch, row in enumerate(rows):
        for name in ("g_loss", "d_loss"):
            assert scalars[(f"epoch_{name}", epoch)] == pytest.approx(float(row[name]), rel=1e-6)


def test_eval_every_logs_held_out_scores_on_its_epochs(run_dir):
    with (run_dir / "metrics.csv").open() as file:
        rows = list(csv.DictReader(file))
    assert rows[0]["val_frechet"] == "NA"  # --eval-every 2: epoch 2 only
    frechet, kid = float(rows[1]["val_frechet"]), float(rows[1]["val_kid"])
    # Three steps of a 4-filter DCGAN: far from Fashion-MNIST in the classifier's features.
    assert frechet > 10 and kid > 0.1, (frechet, kid)
    scalars = {
        (tag, step): float(value)
        for tag, step, value in _events(run_dir / "tensorboard" / "validation")
        if value.ndim == 0
    }
    assert scalars[("epoch_frechet", 1)] == pytest.approx(frechet, rel=1e-6)


def _aligned_pairs(folder, count: int):
    """`count` aligned A|B files (128 x 256): a photo crop beside its mirror image."""
    from skimage import data as samples

    photo = samples.astronaut()
    folder.mkdir(parents=True)
    for i in range(count):
        crop = photo[i * 40 : i * 40 + 128, i * 50 : i * 50 + 128]
        Image.fromarray(np.concatenate([crop, crop[:, ::-1]], axis=1)).save(folder / f"{i}.png")


def test_eval_every_logs_the_held_out_score_of_an_image_to_image_family(tmp_path):
    from keras_gan.testing.tiny_configs import tiny_config

    data = tmp_path / "pairs"
    _aligned_pairs(data / "train", 4)
    _aligned_pairs(data / "test", 2)
    result = train_run(
        "pix2pix", str(data), tmp_path / "run", epochs=2, steps=1, batch_size=1,
        eval_every=1, model_kwargs=tiny_config("pix2pix"), verbose=0,
    )  # fmt: skip
    with (result.run_dir / "metrics.csv").open() as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 2
    for row in rows:
        # The held-out L1 and what copying the input scores, on the 2 test pairs only.
        assert 0 < float(row["val_l1"]) < 2 and 0 < float(row["val_l1_baseline"]) < 2, row
    assert result.held_out["split"] == "test" and result.held_out["examples"] == 2
    assert float(rows[1]["val_l1"]) == pytest.approx(result.held_out["after"]["value"], rel=1e-5)


def test_eval_every_without_a_held_out_split_says_so(tmp_path):
    from keras_gan.testing.tiny_configs import tiny_config

    _aligned_pairs(tmp_path / "flat", 2)
    with pytest.raises(ValueError, match="--eval-every needs a held-out split"):
        train_run(
            "pix2pix", str(tmp_path / "flat"), tmp_path / "run", eval_every=1, batch_size=1,
            model_kwargs=tiny_config("pix2pix"),
        )  # fmt: skip


def test_tensorboard_images_are_the_sample_sheets(run_dir):
    images = [e for e in _events(run_dir / "tensorboard" / "samples") if e[0] == "samples"]
    assert [step for _, step, _ in images] == [0, 1]
    for epoch, (_, _, value) in enumerate(images):
        width, height = int(value[0]), int(value[1])
        logged = np.asarray(Image.open(io.BytesIO(value[2])).convert("RGB"))
        sheet = np.asarray(
            Image.open(run_dir / "samples" / f"epoch_{epoch + 1:04d}.png").convert("RGB")
        )
        assert logged.shape == (height, width, 3)
        np.testing.assert_array_equal(logged, sheet)


def test_plot_draws_one_panel_per_quantity(run_dir, capsys):
    assert main(["plot", str(run_dir)]) == 0
    assert str(run_dir / "curves.png") in capsys.readouterr().out
    everything = Image.open(run_dir / "curves.png")
    out = run_dir / "g_loss.png"
    assert main(["plot", str(run_dir), "--metrics", "g_loss", "--out", str(out)]) == 0
    single = np.asarray(Image.open(out).convert("L"))
    # d_loss, g_loss, frechet, kid: three panels a row (420 px each at 100 dpi), and one.
    assert everything.size[0] == 3 * single.shape[1]
    assert single.std() > 10  # lines and labels, not a blank picture


def test_metrics_log_groups_validation_with_training(tmp_path):
    log = tmp_path / "metrics.csv"
    log.write_text("epoch,g_loss,psnr,val_psnr,empty\n0,1.5,20,NA,NA\n1,1.0,22,21.5,NA\n")
    columns = read_metrics_log(log)
    assert np.isnan(columns["val_psnr"][0]) and columns["val_psnr"][1] == 21.5
    assert curve_panels(columns) == {"g_loss": ["g_loss"], "psnr": ["psnr", "val_psnr"]}
    with pytest.raises(ValueError, match="Not in the metrics log: fid. Logged: g_loss, psnr"):
        curve_panels(columns, ["fid"])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["plot", "{tmp}/nowhere"], "No run directory at"),
        (["plot", "{tmp}"], "No metrics log at"),
        (["plot", "{run}", "--metrics", "fid"], "Not in the metrics log: fid"),
    ],
)
def test_plot_errors_are_one_line(argv, message, run_dir, tmp_path, capsys):
    argv = [a.format(tmp=tmp_path, run=run_dir) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
