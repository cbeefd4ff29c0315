import argparse

import pytest

from keras_gan.cli import make_data_command
from keras_gan.data import sample_sets


def _parse(argv):
    parser = argparse.ArgumentParser(prog="keras-gan")
    commands = parser.add_subparsers(dest="command", required=True)
    make_data_command.add_parser(commands)
    return parser.parse_args(argv)


def test_photo_pairs_flags_become_keyword_arguments(monkeypatch, capsys):
    calls = []

    def fake(out, **kwargs):
        calls.append((out, kwargs))
        counts = {"train": {"photos": 3, "files": 6}, "test": {"photos": 1, "files": 2}}
        return {"counts": counts}

    monkeypatch.setattr(sample_sets, "build_photo_pairs", fake)
    args = _parse(["make-data", "photo-pairs", "--out", "d", "--crop-size", "64", "--overwrite"])
    assert args.run(args) == 0
    out, kwargs = calls[0]
    assert out == "d" and kwargs["crop_size"] == 64 and kwargs["overwrite"] is True
    assert kwargs["crops_per_photo"] == 32 and kwargs["seed"] == 0
    assert "Wrote 6 training pairs from 3 photos and 2 test pairs" in capsys.readouterr().out


def test_fashion_unpaired_flags_and_numeric_classes(monkeypatch, capsys):
    calls = []

    def fake(out, **kwargs):
        calls.append(kwargs)
        counts = {"trainA": 1, "trainB": 1, "testA": 1, "testB": 1}
        return {"class_a": "Bag", "class_b": "Sandal", "counts": counts}

    monkeypatch.setattr(sample_sets, "build_fashion_unpaired", fake)
    argv = ["make-data", "fashion-unpaired", "--out", "d", "--class-a", "8", "--class-b", "Sandal"]
    args = _parse([*argv, "--per-class-train", "5", "--image-size", "28"])
    assert args.run(args) == 0
    assert calls[0]["class_a"] == 8 and calls[0]["class_b"] == "Sandal"
    assert calls[0]["per_class_train"] == 5 and calls[0]["image_size"] == 28
    assert "Bag (A) and Sandal (B)" in capsys.readouterr().out


def test_a_data_set_is_required(capsys):
    with pytest.raises(SystemExit):
        _parse(["make-data"])
    assert "photo-pairs" in capsys.readouterr().err


def test_digits_flags_become_keyword_arguments(monkeypatch, capsys):
    calls = []

    def fake(out, **kwargs):
        calls.append(kwargs)
        counts = {"trainA": 9, "testA": 3, "trainB": 5, "testB": 2}
        return {"counts": counts, "typefaces": {"train": ["A", "B"], "test": ["C"]}}

    monkeypatch.setattr(sample_sets, "build_digit_domains", fake)
    argv = ["make-data", "digits", "--out", "d", "--train-images", "9", "--font", "a.ttf"]
    args = _parse([*argv, "--font", "b.ttf", "--test-fraction", "0.3"])
    assert args.run(args) == 0
    assert calls[0]["train_images"] == 9 and calls[0]["test_images"] == 2000
    assert calls[0]["fonts"] == ["a.ttf", "b.ttf"] and calls[0]["test_fraction"] == 0.3
    assert "2 training and 1 held-out typefaces" in capsys.readouterr().out
