import io
import json

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_gan.export.saved_model import export_saved_model
from keras_gan.export.warmup import read_warmup_requests, replay_warmup_requests, warmup_path
from keras_gan.models import CGAN, StyleTransfer
from keras_gan.prediction import predict_image

TINY_STYLE = dict(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A tiny style network (multiple 4) exported once to BASE/styler/3."""
    model = StyleTransfer(**TINY_STYLE)
    path = tmp_path_factory.mktemp("models") / "styler" / "3"
    return model, export_saved_model(model, path, runs=1, verbose=False)


def _photo(height, width, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def test_layout_signatures_and_parity_report(exported):
    model, result = exported
    path = result.path
    assert sorted(p.name for p in path.parent.iterdir()) == ["3", "3.parity.json"]
    names = {p.name for p in path.iterdir()}
    allowed = {"assets", "assets.extra", "fingerprint.pb", "saved_model.pb", "variables"}
    assert {"assets.extra", "saved_model.pb", "variables"} <= names <= allowed
    loaded = tf.saved_model.load(str(path))
    assert set(loaded.signatures) == {"serving_default", "serving_bytes", "serving_float"}
    inputs = loaded.signatures["serving_default"].structured_input_signature[1]
    assert inputs["images"].dtype == tf.uint8 and inputs["images"].shape.as_list() == [None] * 3 + [
        3
    ]
    report = json.loads(result.parity_path.read_text())
    assert report["passed"] and report["max_abs_error"] <= 1e-4
    assert report["uint8_max_level_error"] <= 1 and report["samples"] == 3
    assert report["file_size_bytes"] > 1000 and report["format"] == "savedmodel"


def test_serving_default_takes_any_size_like_keras_gan_predict(exported):
    model, result = exported
    serve = tf.saved_model.load(str(result.path)).signatures["serving_default"]
    image = _photo(30, 22)  # not multiples of 4: padded inside the graph and cropped back
    out = serve(images=tf.constant(image[None]))["images"].numpy()[0]
    assert out.dtype == np.uint8 and out.shape == (30, 22, 3)
    expected = predict_image(model, image, tile=0)
    assert np.abs(out.astype(int) - expected.astype(int)).max() <= 1


def test_serving_bytes_decodes_png_and_jpeg_and_returns_png(exported):
    model, result = exported
    serve = tf.saved_model.load(str(result.path)).signatures["serving_bytes"]
    png, jpeg = io.BytesIO(), io.BytesIO()
    Image.fromarray(_photo(16, 24, 1)).save(png, format="PNG")
    Image.fromarray(_photo(20, 12, 2)).save(jpeg, format="JPEG")
    out = serve(image_bytes=tf.constant([png.getvalue(), jpeg.getvalue()]))["image_bytes"]
    decoded = [np.asarray(Image.open(io.BytesIO(b))) for b in out.numpy()]
    assert [d.shape for d in decoded] == [(16, 24, 3), (20, 12, 3)]
    expected = predict_image(model, np.asarray(Image.open(io.BytesIO(png.getvalue()))), tile=0)
    assert np.abs(decoded[0].astype(int) - expected.astype(int)).max() <= 1


def test_warmup_file_is_tf_serving_prediction_logs_that_replay(exported):
    _, result = exported
    requests = read_warmup_requests(warmup_path(result.path))
    assert [(name, sig) for name, sig, _ in requests] == [
        ("styler", "serving_default"),
        ("styler", "serving_bytes"),
    ]
    assert requests[0][2]["images"].dtype == np.uint8
    assert requests[0][2]["images"].shape == (1, 32, 32, 3)
    outputs = replay_warmup_requests(
        tf.saved_model.load(str(result.path)), warmup_path(result.path)
    )
    assert outputs[0]["images"].shape == (1, 32, 32, 3)
    assert outputs[1]["image_bytes"].shape == (1,)


def test_existing_version_is_refused_and_bad_paths_named(exported, tmp_path):
    model, result = exported
    with pytest.raises(ValueError, match="already exists"):
        export_saved_model(model, result.path)
    with pytest.raises(ValueError, match="numeric VERSION"):
        export_saved_model(model, tmp_path / "styler" / "latest")


def test_failed_export_leaves_no_version_folder(tmp_path, monkeypatch):
    import keras_gan.export.saved_model as saved_model

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(saved_model, "write_warmup_requests", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        export_saved_model(StyleTransfer(**TINY_STYLE), tmp_path / "m" / "1", parity=False)
    assert list((tmp_path / "m").iterdir()) == []


def test_noise_family_takes_z_and_labels_and_matches_generate(tmp_path):
    model = CGAN(latent_dim=8, image_size=28, channels=1, base_filters=4, num_classes=3)
    result = export_saved_model(model, tmp_path / "cgan" / "1", runs=1, verbose=False)
    loaded = tf.saved_model.load(str(result.path))
    assert set(loaded.signatures) == {"serving_default", "serving_float"}
    latents = model.sampling_inputs(4, seed=5, labels=[0, 1, 2, 0])
    out = loaded.signatures["serving_float"](
        z=tf.constant(latents["z"]), labels=tf.constant(latents["labels"])
    )["images"].numpy()
    np.testing.assert_allclose(out, model.generate(4, seed=5, labels=[0, 1, 2, 0]), atol=1e-5)
    uint8 = loaded.signatures["serving_default"](
        z=tf.constant(latents["z"]), labels=tf.constant(latents["labels"])
    )["images"].numpy()
    assert uint8.dtype == np.uint8 and uint8.shape == (4, 28, 28, 1)
    assert result.parity["passed"]
