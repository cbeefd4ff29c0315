"""The presets that ship with trained weights: offline loading, integrity, quality on
held-out photos (never trained on), and `keras-gan predict` on real files."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from keras_gan.models import all_presets
from keras_gan.presets.loader import WEIGHTS_FILE, file_sha256, load_preset
from keras_gan.testing.cli import run_keras_gan

SHIPPED = sorted(name for name, cls in all_presets().items() if cls.presets[name]["has_weights"])


def _entry(name):
    cls = all_presets()[name]
    return cls, cls.presets[name]


@pytest.mark.parametrize("name", SHIPPED)
def test_weights_are_small_intact_and_documented(name):
    _, entry = _entry(name)
    folder = Path(entry["path"])
    weights = folder / WEIGHTS_FILE
    assert weights.stat().st_size <= 10 * 1024 * 1024
    # Every file of the folder is the one metadata.json records (sha256 and size).
    files = {p.name for p in folder.iterdir()} - {"config.json", "metadata.json"}
    assert files == set(entry["files"]) >= {WEIGHTS_FILE, "MODEL_CARD.md", "samples.png"}
    for file, record in entry["files"].items():
        assert file_sha256(folder / file) == record["sha256"], file
        assert (folder / file).stat().st_size == record["bytes"], file
    card = (folder / "MODEL_CARD.md").read_text()
    assert name in card and entry["files"][WEIGHTS_FILE]["sha256"] in card
    # The licences of the photos it was trained on, and its held-out metrics, on the card.
    assert entry["training_photos"] and all(p["licence"] for p in entry["training_photos"])
    metrics = entry["metrics"]
    after = metrics["after"]
    assert metrics["split"] == "test" and f"value: {after['value']:.4g}" in card
    if "baseline" in after:  # SR and colorization: against bicubic / the gray photo
        assert f"baseline: {after['baseline']:.4g}" in card
    assert entry["recipe"] and all(stage[0] == "train" for stage in entry["recipe"])


@pytest.mark.parametrize("name", SHIPPED)
def test_loads_offline_and_a_corrupt_file_is_refused(name, tmp_path, monkeypatch):
    cls, entry = _entry(name)
    model = cls.from_preset(name)
    trained = [w.copy() for w in model.generator.get_weights()]
    assert any(np.abs(w).sum() > 0 for w in trained)
    fresh = cls.from_preset(name, load_weights=False).generator.get_weights()
    assert any(not np.array_equal(a, b) for a, b in zip(fresh, trained, strict=True))
    # A file that does not match its recorded sha256 is refused with a clear error.
    copy = tmp_path / name
    shutil.copytree(entry["path"], copy)
    (copy / WEIGHTS_FILE).write_bytes(b"\0" * 64)
    with pytest.raises(ValueError, match=f"{WEIGHTS_FILE}.*sha256"):
        load_preset(cls, copy)


def _held_out(name):
    """Photos that `make-data photos` holds out (never trained on)."""
    return {"coffee": data.coffee, "chelsea": data.chelsea}[name]()


SHIPPED_SR = [n for n in SHIPPED if all_presets()[n].__name__ in ("SRGAN", "ESRGAN")]


@pytest.mark.parametrize("name", SHIPPED_SR)
def test_super_resolution_beats_bicubic_on_a_held_out_photo(name):
    from keras_gan.data.super_resolution import bicubic_upscale, downscale
    from keras_gan.metrics import psnr
    from keras_gan.prediction import predict_image

    model = all_presets()[name].from_preset(name)
    photo = _held_out("coffee")  # 400 x 600, held out by make-data photos
    high = photo.astype("float32") / 127.5 - 1
    low = np.asarray(downscale(high, model.scale))
    low_u8 = np.round((low + 1) * 127.5).astype(np.uint8)
    upscaled = predict_image(model, low_u8)
    bicubic = np.asarray(bicubic_upscale(low_u8.astype("float32") / 127.5 - 1, model.scale))
    gain = psnr(upscaled, photo, True, model.scale) - psnr(bicubic, photo, True, model.scale)
    assert gain > 0.2, f"{name} gains only {gain:.2f} dB over bicubic"


def test_colorizer_keeps_lightness_and_adds_colour_on_a_held_out_photo():
    from keras_gan.layers import rgb_to_lab

    model = all_presets()["colorizer_photos_128"].from_preset("colorizer_photos_128")
    photo = _held_out("coffee").astype("float32") / 127.5 - 1
    colour = model.colorize(photo)
    assert colour.shape == photo.shape
    lab_in = np.asarray(rgb_to_lab((photo + 1) / 2))
    lab_out = np.asarray(rgb_to_lab((colour + 1) / 2))
    assert np.median(np.abs(lab_in[..., 0] - lab_out[..., 0])) < 2.0
    chroma = np.hypot(lab_out[..., 1], lab_out[..., 2])
    assert np.mean(chroma) > 5.0  # not gray


SHIPPED_STYLE = [n for n in SHIPPED if all_presets()[n].__name__ == "StyleTransfer"]


@pytest.mark.parametrize("name", SHIPPED_STYLE)
def test_style_transfer_takes_the_style_and_keeps_the_photo(name):
    """On a held-out photo the output's Gram matrices come close to the painting's, and its
    content features stay closer to that photo than the stylized version of another photo."""
    import tensorflow as tf

    from keras_gan.losses import feature_reconstruction_loss, gram_matrix, style_loss
    from keras_gan.models.style_transfer.style_images import load_style_image
    from keras_gan.perceptual import VGGFeatures

    cls, entry = _entry(name)
    model = cls.from_preset(name)
    painting = load_style_image(
        next(p for p in entry["style_images"][0]["paths"] if Path(p).exists())
    )
    photo = _held_out("coffee")[::2, ::2].astype("float32") / 127.5 - 1  # 200 x 300
    other = tf.image.resize(data.rocket().astype("float32") / 127.5 - 1, (200, 300)).numpy()
    stylized, other_stylized = model.stylize(np.stack([photo, other]))
    assert stylized.shape == photo.shape and np.abs(stylized).max() <= 1.0

    vgg = VGGFeatures("vgg16", (*model.style_layers, model.content_layer))
    targets = [
        gram_matrix(f) for f in vgg(tf.image.resize(painting[None], (256, 320), "area"))[:-1]
    ]
    photo_features, out_features, other_features = (
        vgg(x[None]) for x in (photo, stylized, other_stylized)
    )
    before = float(style_loss(photo_features[:-1], targets))
    after = float(style_loss(out_features[:-1], targets))
    assert after < 0.3 * before, (before, after)
    # Both outputs carry the painting's texture; only the coffee's keeps the coffee.
    kept = float(feature_reconstruction_loss(out_features[-1], photo_features[-1]))
    swapped = float(feature_reconstruction_loss(other_features[-1], photo_features[-1]))
    assert kept < 0.8 * swapped, (kept, swapped)


@pytest.mark.slow
@pytest.mark.parametrize("quantize", ["float16", "dynamic", "int8"])
@pytest.mark.parametrize("name", SHIPPED)
def test_quantized_tflite_keeps_the_quality(name, quantize, tmp_path):
    """The issue's targets on the shipped presets: float16 >= 40 dB, dynamic and int8
    >= 30 dB PSNR against the Keras generator, calibrated and checked on held-out photos."""
    from keras_gan.export import export_tflite

    photos = tmp_path / "photos"
    photos.mkdir()
    for label, image in (("coffee", data.coffee()), ("china", _sklearn_china())):
        Image.fromarray(image).save(photos / f"{label}.png")
    family = all_presets()[name].__name__
    size = {"SRGAN": 48, "ESRGAN": 48, "Colorizer": 128}.get(family, 96)
    result = export_tflite(
        name,
        tmp_path / "model.tflite",
        quantize=quantize,
        input_size=size,
        representative_data=photos,
        runs=1,
        verbose=False,
    )
    report = result.parity
    assert report["passed"], report["checks"]
    assert report["psnr_db"] >= (40.0 if quantize == "float16" else 30.0)
    assert (tmp_path / "model.tflite").stat().st_size < (
        (Path(_entry(name)[1]["path"]) / WEIGHTS_FILE).stat().st_size
    )


def _sklearn_china():
    from sklearn.datasets import load_sample_image

    return load_sample_image("china.jpg")


def test_predict_command_on_real_files(tmp_path):
    photo = tmp_path / "coffee.jpg"
    Image.fromarray(_held_out("coffee")).save(photo, quality=95)
    gray = tmp_path / "gray.png"
    Image.fromarray(_held_out("coffee")).convert("L").save(gray)
    for name in SHIPPED:
        cls = all_presets()[name]
        source = gray if cls.__name__ == "Colorizer" else photo
        out = tmp_path / f"{name}.png"
        result = run_keras_gan("predict", name, "--input", str(source), "--out", str(out))
        assert result.returncode == 0, result.stderr
        image = Image.open(out)
        scale = cls.from_preset(name).scale
        assert image.size == (600 * scale, 400 * scale) and image.mode == "RGB"
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8 not really a jpeg")
    result = run_keras_gan(
        "predict", SHIPPED[0], "--input", str(bad), "--out", str(tmp_path / "x.png")
    )
    assert result.returncode == 2 and "broken.jpg" in result.stderr
    assert not (tmp_path / "x.png").exists()
    result = run_keras_gan("predict", "no_such_preset", "--input", str(photo), "--out", "y.png")
    assert result.returncode == 2 and "no_such_preset" in result.stderr
