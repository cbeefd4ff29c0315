import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.export.int8_relu import ops_with_outputs
from keras_gan.export.network import export_network
from keras_gan.export.tflite import (
    export_tflite,
    interpreter_function,
    load_interpreter,
    read_tflite_metadata,
    select_ops_in,
)
from keras_gan.models import Colorizer, StyleTransfer

pytest.importorskip("ai_edge_litert")

TINY_STYLE = dict(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32)


@pytest.fixture(scope="module")
def model():
    return StyleTransfer(**TINY_STYLE)


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """A folder of real photos for calibration."""
    import skimage.data
    from PIL import Image

    folder = tmp_path_factory.mktemp("photos")
    for name in ("astronaut", "coffee", "chelsea", "rocket"):
        Image.fromarray(getattr(skimage.data, name)()).save(folder / f"{name}.png")
    return folder


def test_float_export_matches_keras_and_carries_metadata(model, tmp_path):
    path = tmp_path / "style.tflite"
    result = export_tflite(model, path, input_size=(32, 48), runs=1, verbose=False)
    assert result.parity["passed"] and result.parity["max_abs_error"] <= 1e-4
    assert result.parity_path == tmp_path / "style.tflite.parity.json"
    inside = read_tflite_metadata(path)
    beside = json.loads((tmp_path / "style.json").read_text())
    assert inside == beside
    assert inside["inputs"][0]["shape"] == [1, 32, 48, 3]
    assert inside["inputs"][0]["normalization"]["range"] == [-1.0, 1.0]
    assert inside["outputs"][0]["dtype"] == "float32" and inside["quantize"] == "none"
    # Runs on an independent input against the Keras network.
    spec = export_network(model)
    run = interpreter_function(load_interpreter(path), spec)
    x = np.random.default_rng(3).uniform(-1, 1, (1, 32, 48, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(spec.network(x))
    np.testing.assert_allclose(run([x]), expected, atol=1e-4)
    ops = result.parity["ops"]
    # Reflection padding is slices and concatenations: XNNPACK runs no MIRROR_PAD.
    assert "CONV_2D" in ops and "STRIDED_SLICE" in ops and "MIRROR_PAD" not in ops
    assert not any(op.startswith("Flex") or op == "CUSTOM" for op in ops), ops


@pytest.mark.parametrize("quantize", ["float16", "dynamic", "int8"])
def test_quantized_exports_report_psnr_and_mode(model, tmp_path, photos, quantize):
    path = tmp_path / f"{quantize}.tflite"
    result = export_tflite(
        model, path, quantize=quantize, representative_data=photos, runs=1, verbose=False
    )
    report = result.parity
    assert report["target"] == f"tflite:{quantize}" and report["quantize"] == quantize
    assert read_tflite_metadata(path)["quantize"] == quantize
    floor = {"float16": 40.0, "dynamic": 20.0, "int8": 15.0}[quantize]
    assert report["psnr_db"] >= floor, report
    if quantize == "int8":  # convs are int8 but for those of layers kept in float
        fallback = report["float_fallback"]
        float_convs = [name for name in fallback["float_layers"] if name.endswith("_conv")]
        assert report["float_ops"].get("CONV_2D", 0) == len(float_convs), fallback["reason"]
        assert report["ops"]["CONV_2D"] > len(float_convs), fallback["reason"]


def test_int8_of_an_image_network_needs_representative_data(model, tmp_path):
    with pytest.raises(ValueError, match="representative_data"):
        export_tflite(model, tmp_path / "x.tflite", quantize="int8")
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments_are_named(model, tmp_path):
    with pytest.raises(ValueError, match="quantize must be one of"):
        export_tflite(model, tmp_path / "x.tflite", quantize="int4")
    with pytest.raises(ValueError, match="size_multiple=4.*30x32"):
        export_tflite(model, tmp_path / "x.tflite", input_size=(30, 32))
    with pytest.raises(ValueError, match=r"end in \.tflite"):
        export_tflite(model, tmp_path / "x.tfl")
    assert list(tmp_path.iterdir()) == []


class _Cumulative(keras.layers.Layer):
    def call(self, x):
        return tf.math.cumprod(x, axis=1)


def test_select_tf_ops_are_refused_by_name(tmp_path, monkeypatch):
    inputs = keras.Input((None, None, 3), name="images")
    network = keras.Model(inputs, _Cumulative()(inputs))
    model = StyleTransfer(**TINY_STYLE, transform_network=network)
    with pytest.raises(ValueError, match=r"needs TF ops .*\(Cumprod\)"):
        export_tflite(model, tmp_path / "x.tflite", parity=False)
    assert list(tmp_path.iterdir()) == []
    assert select_ops_in("TF Select ops: Cumprod, Erfinv\nDetails") == ["Cumprod", "Erfinv"]


TINY_COLORIZER = dict(generator_type="unet_128", filters=2, discriminator_filters=2, image_size=128)


def test_int8_keeps_in_float_the_layers_int8_breaks(tmp_path, photos):
    # The trained colorizer fully int8 misses the target: its full-resolution first
    # convolution needs float. No declared layers (the model declares its Lab tail):
    # the search finds it.
    model = Colorizer.from_preset("colorizer_photos_128")
    path = tmp_path / "c.tflite"
    result = export_tflite(
        model,
        path,
        quantize="int8",
        representative_data=photos,
        float_layers=[],
        runs=1,
        verbose=False,
    )
    report = result.parity
    fallback = report["float_fallback"]
    assert fallback["full_int8_psnr_db"] < 30 <= fallback["psnr_db"], fallback
    assert report["passed"] and report["psnr_db"] >= 30
    assert "ab_generator/down0_conv" in fallback["float_layers"], fallback
    assert fallback["declared"] == [] and fallback["searched"] == fallback["float_layers"]
    assert fallback["reason"].startswith("full int8 reaches") and "down0_conv" in fallback["reason"]
    assert fallback["steps"][0] == {"float_layers": [], "psnr_db": fallback["full_int8_psnr_db"]}
    assert any("/down0_conv_1/" in name for name in fallback["float_tensors"])
    assert "CONV_2D" in report["float_ops"], report["float_ops"]
    assert read_tflite_metadata(path)["int8_float_layers"] == fallback["float_layers"]
    # The decoder's ReLUs after each skip concatenation are rewritten for XNNPACK.
    assert fallback["rewritten_relus"] == [f"ab_generator/up{k}_relu" for k in range(5, -1, -1)]
    relu_outputs = [
        n for op, outs in ops_with_outputs(path.read_bytes()) if op == "RELU" for n in outs
    ]
    assert not [name for name in relu_outputs if "ab_generator" in name], relu_outputs


def test_colorizer_int8_runs_in_one_xnnpack_partition(tmp_path, photos):
    # The declared float tail (Lab -> RGB without POW, SELECT, PACK) and the rewritten
    # decoder ReLUs leave nothing outside XNNPACK.
    path = tmp_path / "c.tflite"
    result = export_tflite(
        Colorizer(**TINY_COLORIZER),
        path,
        quantize="int8",
        representative_data=photos,
        runs=1,
        verbose=False,
    )
    fallback = result.parity["float_fallback"]
    assert fallback["declared"] == ["lab", "rgb"] and result.parity["passed"], fallback
    assert not {"POW", "SELECT", "SELECT_V2", "PACK", "UNPACK"} & {
        op for op, _ in ops_with_outputs(path.read_bytes())
    }
    assert result.parity["delegate_partitions"] == 1


def test_int8_declared_float_layers_come_first(tmp_path, photos):
    model = Colorizer(**TINY_COLORIZER)
    result = export_tflite(
        model,
        tmp_path / "c.tflite",
        quantize="int8",
        representative_data=photos,
        float_layers=["lab", "rgb", "ab_generator/down0_conv", "ab_generator/down1_lrelu"],
        parity=False,
        verbose=False,
    )
    assert result.parity is None
    facts = read_tflite_metadata(result.path)
    assert facts["int8_float_layers"][:2] == ["lab", "rgb"], facts["int8_float_layers"]


def test_int8_float_layers_are_checked(model, tmp_path, photos):
    with pytest.raises(ValueError, match=r"named 'nope'.*stem_conv"):
        export_tflite(
            model,
            tmp_path / "x.tflite",
            quantize="int8",
            representative_data=photos,
            float_layers=["nope"],
            parity=False,
        )
    with pytest.raises(ValueError, match="float_layers applies to quantize='int8'"):
        export_tflite(model, tmp_path / "x.tflite", float_layers=["stem_conv"])
    assert list(tmp_path.iterdir()) == []
