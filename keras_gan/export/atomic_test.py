import json

import pytest

from keras_gan.export.atomic import atomic_directory, atomic_file, directory_size, write_json


def test_atomic_directory_appears_only_when_complete(tmp_path):
    target = tmp_path / "model" / "1"
    with atomic_directory(target) as staging:
        (staging / "a.txt").write_text("abc")
        assert not target.exists()
        assert staging.parent == target.parent and staging.name.startswith(".1.tmp-")
    assert (target / "a.txt").read_text() == "abc"
    assert sorted(p.name for p in target.parent.iterdir()) == ["1"]
    assert directory_size(target) == 3


def test_failure_leaves_nothing_and_keeps_the_old_version(tmp_path):
    target = tmp_path / "1"
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_directory(target) as staging:
            (staging / "partial").write_text("x")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    with atomic_directory(target) as staging:
        (staging / "v").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_directory(target, overwrite=True) as staging:
            (staging / "v").write_text("new")
            raise RuntimeError("boom")
    assert (target / "v").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["1"]


def test_existing_target_is_refused_unless_overwrite(tmp_path):
    target = tmp_path / "x.onnx"
    target.write_text("old")
    with pytest.raises(ValueError, match="already exists.*overwrite"):
        with atomic_file(target):
            pass
    with atomic_file(target, overwrite=True) as staging:
        assert staging.suffix == ".onnx"
        staging.write_text("new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["x.onnx"]


def test_atomic_file_that_writes_nothing_fails(tmp_path):
    with pytest.raises(RuntimeError, match="Nothing was written"):
        with atomic_file(tmp_path / "x.tflite"):
            pass
    assert list(tmp_path.iterdir()) == []


def test_write_json(tmp_path):
    path = write_json(tmp_path / "r.json", {"a": [1, 2]})
    assert json.loads(path.read_text()) == {"a": [1, 2]}
