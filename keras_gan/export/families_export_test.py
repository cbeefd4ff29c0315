"""Every family exports to SavedModel, TFLite and ONNX with parity (tiny networks)."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.export import export_onnx, export_saved_model, export_tflite
from keras_gan.models import FAMILIES, NOISE_FAMILIES
from keras_gan.testing.tiny_configs import tiny_configs

pytest.importorskip("ai_edge_litert")
pytest.importorskip("onnxruntime")

TINY = tiny_configs()
INPUT_SIZE = {"srgan": 16, "esrgan": 16}  # low-res side: the output is 4x larger


def test_every_family_has_a_tiny_config():
    assert sorted(TINY) == sorted(FAMILIES)


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_exports_to_every_format_with_parity(family, tmp_path):
    model = FAMILIES[family](**TINY[family])
    size = INPUT_SIZE.get(family)
    saved = export_saved_model(
        model, tmp_path / family / "1", runs=1, input_size=size, verbose=False
    )
    lite = export_tflite(model, tmp_path / "g.tflite", runs=1, input_size=size, verbose=False)
    onnx = export_onnx(model, tmp_path / "g.onnx", runs=1, input_size=size, verbose=False)
    for result in (saved, lite, onnx):
        assert result.parity["passed"], (result.format, result.parity)
        assert np.isfinite(result.parity["mean_abs_error"])
    loaded = tf.saved_model.load(str(saved.path))
    expected = {"serving_default", "serving_float"}
    if family not in NOISE_FAMILIES:
        expected.add("serving_bytes")
    assert set(loaded.signatures) == expected
    shape = lite.parity["network"]
    assert shape["family"] == type(model).__name__
