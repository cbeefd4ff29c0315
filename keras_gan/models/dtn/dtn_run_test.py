"""`keras-gan train dtn` on a tiny digits folder: f pretrained, judged by a target-only judge."""

import json
import os

import matplotlib
import numpy as np
import pytest

from keras_gan.models.dtn import DTN, dtn_run
from keras_gan.models.dtn.dtn_classifiers import pretrain_f
from keras_gan.models.dtn.dtn_networks import build_content_extractor

FONT_DIR = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
FONTS = [os.path.join(FONT_DIR, f"{name}.ttf") for name in ("DejaVuSans", "DejaVuSerif")]


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    from keras_gan.data.sample_sets import build_digit_domains

    root = tmp_path_factory.mktemp("digits")
    build_digit_domains(root, train_images=48, test_images=16, test_fraction=0.5, fonts=FONTS)
    return root


def test_pretraining_f_learns_labels_and_freezes_it():
    import keras

    rng = np.random.default_rng(0)
    labels = np.arange(40) % 2  # two classes: dark or bright images
    images = rng.uniform(-1, -0.2, (40, 32, 32, 3)) + 1.2 * labels[:, None, None, None]
    images = images.astype("float32")
    keras.utils.set_random_seed(0)
    f = build_content_extractor(32, 3, 8, 16)
    classifier = pretrain_f(f, images, labels, steps=100, batch_size=20)
    assert not f.trainable
    logits = classifier.predict(images, verbose=0)
    assert np.mean(np.argmax(logits, -1) == labels) >= 0.9  # chance: 0.5


def test_a_run_reports_the_judge_accuracy_and_its_baseline(digits, tmp_path, monkeypatch):
    from keras_gan.run import RunConfig, train

    monkeypatch.setattr(dtn_run, "JUDGE_STEPS", 5)
    kwargs = {**DTN.tiny_config, "f_pretrain_steps": 5}
    config = RunConfig(steps=2, batch_size=8, model_kwargs=kwargs, verbose=0)
    result = train("dtn", digits, tmp_path / "run", config)
    record = json.loads((tmp_path / "run" / "run.json").read_text())
    held = record["held_out"]
    assert held["split"] == "test" and held["examples"] == 16
    for when in ("before", "after"):
        scores = held[when]
        assert scores["metric"] == "judge_accuracy" and not scores["lower_is_better"]
        assert 0.0 <= scores["value"] <= 1.0 and 0.0 <= scores["baseline"] <= 1.0
        assert scores["paper_svhn_to_mnist"] == 0.9066
    assert 0.0 <= held["before"]["f_accuracy_held_out_fonts"] <= 1.0
    assert "judge_accuracy_on_held_out_target" in held["after"]
    assert (tmp_path / "run" / "model.keras").exists()
    assert os.listdir(tmp_path / "run" / "samples")
    assert result.model.f.trainable is False


def test_bad_data_folders_are_named(tmp_path):
    model = DTN(**DTN.tiny_config)
    from keras_gan.run import RunConfig

    with pytest.raises(ValueError, match="trainA"):
        dtn_run.run_data(model, str(tmp_path), RunConfig())
    (tmp_path / "trainA" / "cats").mkdir(parents=True)
    (tmp_path / "trainB").mkdir()
    with pytest.raises(ValueError, match="one sub-folder per digit"):
        dtn_run.run_data(model, str(tmp_path), RunConfig())


def test_keras_gan_eval_reads_each_side_in_its_domain_channels(digits):
    from keras_gan.evaluation.data import load_evaluation_data

    sources, targets = load_evaluation_data(DTN(**DTN.tiny_config), str(digits), limit=4)
    assert sources.shape == (4, 32, 32, 3) and targets.shape == (4, 32, 32, 1)
