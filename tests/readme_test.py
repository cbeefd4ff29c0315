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


def test_readme_pix2pix_example_runs(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(0)
    (tmp_path / "pairs").mkdir()
    for i in range(4):  # aligned A | B files, 128 x 256
        pixels = rng.integers(0, 255, (128, 256, 3), np.uint8)
        Image.fromarray(pixels).save(tmp_path / "pairs" / f"{i}.png")
    code = next(block for block in _python_blocks() if "Pix2Pix" in block)
    shortened = code.replace("epochs=10", "epochs=1")
    assert shortened != code, "the README example changed: update this test's shortening"
    gray = rng.uniform(-1, 1, (2, 128, 128, 3)).astype("float32")
    namespace: dict = {"kg": __import__("keras_gan"), "gray_images": gray}
    exec(compile(shortened, "README.md", "exec"), namespace)
    assert namespace["colour"].shape == (2, 128, 128, 3)
