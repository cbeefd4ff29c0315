"""The README's Python example runs as written (with fewer steps)."""

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_names_the_two_commands():
    text = README.read_text()
    assert "make demo" in text and "make test" in text


def test_readme_quickstart_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = _python_blocks()[0]
    shortened = code.replace("epochs=5", "epochs=1").replace(
        "steps_per_epoch=200", "steps_per_epoch=3"
    )
    assert shortened != code, "the README example changed: update this test's shortening"
    namespace: dict = {}
    exec(compile(shortened, "README.md", "exec"), namespace)
    assert namespace["images"].shape == (16, 28, 28, 1)
    np.testing.assert_array_equal(namespace["images"], namespace["same"])
    assert (tmp_path / "samples" / "epoch_0001.png").exists()
