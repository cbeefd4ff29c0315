"""Latency, size and PSNR of the shipped image-to-image presets in every export runtime.

For each preset (super-resolution, colorization, style transfer), at a fixed input
size, batch 1, on CPU: the Keras generator (eager call), the SavedModel's
`serving_float` signature (`tf.saved_model.load`), TFLite float32 / float16 /
dynamic / int8 in LiteRT (`ai_edge_litert`, XNNPACK delegate by default,
`--threads`), and ONNX Runtime (`--threads` intra-op threads). Every export is
written by `keras_gan.export` into a temporary folder. Each runtime gets the
median latency over `--runs` calls on one photo (after one untimed call), its
file size, and its PSNR (and max abs error) against the Keras generator on three
photos. `int8_speedup_vs_float32` is TFLite float32 latency / int8 latency.

Prints JSON (and writes it with --out):

    python bench/export_latency.py --runs 20 --threads 2 --out bench/out/export_latency.json
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from machine import machine_info, print_report  # noqa: E402

from keras_gan.export import (  # noqa: E402
    export_network,
    export_onnx,
    export_saved_model,
    export_tflite,
    read_tflite_metadata,
)
from keras_gan.export.atomic import directory_size  # noqa: E402
from keras_gan.export.network import resolve_input_size, resolve_model  # noqa: E402
from keras_gan.export.onnx import onnx_function  # noqa: E402
from keras_gan.export.parity import compare, median_latency_ms, sample_inputs  # noqa: E402
from keras_gan.export.signatures import SIGNATURE_FLOAT  # noqa: E402
from keras_gan.export.tflite import interpreter_function  # noqa: E402

PRESETS = (
    "srgan_photos_x4",
    "colorizer_photos_128",
    "style_transfer_starry_night_mobile",
    "style_transfer_starry_night_mobile_int8",
)
TFLITE_MODES = ("none", "float16", "dynamic", "int8")


def _keras(spec):
    def run(sample):
        return keras.ops.convert_to_numpy(spec.call([tf.constant(x) for x in sample]))

    return run


def _saved_model(model, spec, folder: Path):
    path = folder / "savedmodel" / "generator" / "1"
    export_saved_model(model, path, warmup=False, parity=False, verbose=False)
    function = tf.saved_model.load(str(path)).signatures[SIGNATURE_FLOAT]

    def run(sample):
        feeds = {name: tf.constant(x) for name, x in zip(spec.input_names, sample, strict=True)}
        return function(**feeds)["images"].numpy()

    return run, directory_size(path), {}


def _tflite(model, spec, folder: Path, quantize: str, size, data, threads: int):
    from ai_edge_litert.interpreter import Interpreter

    path = folder / f"{quantize}.tflite"
    export_tflite(
        model,
        path,
        quantize=quantize,
        input_size=size,
        representative_data=data,
        parity=False,
        verbose=False,
    )
    interpreter = Interpreter(model_path=str(path), num_threads=threads)
    interpreter.allocate_tensors()
    facts = {}
    if quantize == "int8":
        facts["int8_float_layers"] = read_tflite_metadata(path)["int8_float_layers"]
    return interpreter_function(interpreter, spec), path.stat().st_size, facts


def _onnx(model, spec, folder: Path, threads: int):
    import onnxruntime

    path = folder / "generator.onnx"
    export_onnx(model, path, parity=False, verbose=False)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return onnx_function(session, spec), path.stat().st_size, {}


def measure(preset: str, side: int, data, runs: int, threads: int) -> dict:
    model = resolve_model(preset)
    spec = export_network(model)
    size = resolve_input_size(spec, side)
    samples, source = sample_inputs(spec, size, data)
    keras_run = _keras(spec)
    expected = np.concatenate([keras_run(sample) for sample in samples])
    row = {"preset": preset, "family": spec.family, "input_size": list(size), "samples": source}
    runtimes = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        keras_file = folder / "generator.keras"
        spec.network.save(keras_file)
        exporters = {"keras": lambda: (keras_run, keras_file.stat().st_size, {})}
        exporters["savedmodel"] = lambda: _saved_model(model, spec, folder)
        for mode in TFLITE_MODES:
            exporters[f"tflite_{'float32' if mode == 'none' else mode}"] = lambda mode=mode: (
                _tflite(model, spec, folder, mode, size, data, threads)
            )
        exporters["onnxruntime"] = lambda: _onnx(model, spec, folder, threads)
        for name, make in exporters.items():
            run, size_bytes, facts = make()
            errors = compare(expected, np.concatenate([run(sample) for sample in samples]))
            runtimes[name] = {
                "latency_ms_median": round(
                    median_latency_ms(lambda run=run: run(samples[0]), runs), 3
                ),
                "size_bytes": int(size_bytes),
                "psnr_db": round(errors["psnr_db"], 2),
                "max_abs_error": float(f"{errors['max_abs_error']:.3g}"),
                **facts,
            }
            print(json.dumps({"preset": preset, "runtime": name, **runtimes[name]}), flush=True)
    row["runtimes"] = runtimes
    float32, int8 = runtimes["tflite_float32"], runtimes["tflite_int8"]
    row["int8_speedup_vs_float32"] = round(
        float32["latency_ms_median"] / int8["latency_ms_median"], 3
    )
    return row


def _photo_folder(folder: Path) -> Path:
    """skimage's bundled photos as files: int8 calibration when no folder is given."""
    import skimage.data
    from PIL import Image

    for name in ("astronaut", "coffee", "chelsea", "rocket"):
        Image.fromarray(getattr(skimage.data, name)()).save(folder / f"{name}.png")
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--size", type=int, default=128, help="input side (colorizer, style)")
    parser.add_argument("--sr-size", type=int, default=64, help="low-res input side (SR)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2, help="LiteRT / ONNX Runtime threads")
    parser.add_argument(
        "--representative-data",
        type=Path,
        default=None,
        help="a folder of photos: parity inputs and int8 calibration (default: skimage's)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as photos:
        data = args.representative_data or _photo_folder(Path(photos))
        for preset in args.presets.split(","):
            side = args.sr_size if preset.startswith(("srgan", "esrgan")) else args.size
            results.append(measure(preset, side, data, args.runs, args.threads))
    report = {
        "benchmark": "export_latency",
        "machine": machine_info(),
        "settings": {
            "runs": args.runs,
            "threads": args.threads,
            "batch": 1,
            "representative_data": str(args.representative_data or "skimage photos"),
        },
        "results": results,
    }
    print_report(report, args.out)


if __name__ == "__main__":
    main()
