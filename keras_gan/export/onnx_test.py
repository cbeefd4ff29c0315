import keras
import numpy as np
import pytest

from keras_gan.export.network import export_network
from keras_gan.export.onnx import export_onnx, load_session, onnx_function
from keras_gan.models import InfoGAN, StyleTransfer

pytest.importorskip("onnxruntime")


def test_image_network_has_dynamic_sides_and_matches_keras(tmp_path):
    model = StyleTransfer(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32)
    result = export_onnx(model, tmp_path / "style.onnx", runs=1, verbose=False)
    assert result.parity["passed"] and result.parity["max_abs_error"] <= 1e-4
    assert result.parity_path == tmp_path / "style.onnx.parity.json"
    session = load_session(result.path)
    (image_input,) = session.get_inputs()
    assert image_input.name == "images" and image_input.shape[-1] == 3
    assert not all(isinstance(d, int) for d in image_input.shape[:3])  # N, H, W dynamic
    spec = export_network(model)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 20, 28, 3)).astype("float32")
    out = onnx_function(session, spec)([x])
    np.testing.assert_allclose(out, keras.ops.convert_to_numpy(spec.network(x)), atol=1e-4)


def test_infogan_exports_named_latents(tmp_path):
    model = InfoGAN(latent_dim=8, image_size=28, channels=1, base_filters=4)
    result = export_onnx(model, tmp_path / "info.onnx", runs=1, verbose=False)
    session = load_session(result.path)
    assert [i.name for i in session.get_inputs()] == ["z", "codes", "continuous"]
    latents = model.sampling_inputs(3, seed=1, codes=[4, 0, 9])
    out = session.run(None, dict(latents))[0]
    np.testing.assert_allclose(out, model.generate(3, seed=1, codes=[4, 0, 9]), atol=1e-4)


def test_bad_suffix_and_existing_file(tmp_path):
    model = StyleTransfer(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32)
    with pytest.raises(ValueError, match=r"end in \.onnx"):
        export_onnx(model, tmp_path / "x.onx")
    (tmp_path / "x.onnx").write_text("old")
    with pytest.raises(ValueError, match="already exists"):
        export_onnx(model, tmp_path / "x.onnx")
    assert (tmp_path / "x.onnx").read_text() == "old"
