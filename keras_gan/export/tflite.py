"""TFLite export: builtin ops only, four quantization modes, metadata inside and beside.

Conversion goes through Keras' own LiteRT export (`model.export(format="litert")`:
`ExportArchive` -> SavedModel -> `TFLiteConverter.from_saved_model`; int8 takes the
same path by hand to requantize the calibrated model), restricted to
builtin ops. A network that would need Select TF ops fails with an error naming them.

Quantization modes:

- `none`: float32.
- `float16`: float16 weights (computed in float32 on CPU).
- `dynamic`: int8 weights, float activations (dynamic-range quantization).
- `int8`: int8 weights and activations calibrated on real inputs, with float32 input
  and output tensors; ops without an int8 kernel stay float (builtin float kernels,
  listed as `float_ops` in the parity report). Image networks calibrate on a folder
  of images (`representative_data`, required); noise networks on latents drawn with
  a fixed seed. When the fully int8 model misses the int8 PSNR target, the layers
  int8 breaks are kept in float (declared by the model as `int8_float_layers`, or
  found by a search; see `selective_int8`); the parity report's `float_fallback`
  says which and why, the metadata's `int8_float_layers` which. ReLU layers whose
  int8 RELU op XNNPACK would not run (after a concatenation) are first rewritten as an
  equal `LeakyDifferenceReLU` (see `int8_relu`; the report's `rewritten_relus`).

The input shape is fixed (batch 1, `input_size`); inputs and outputs are float32 in
[-1, 1] (`x / 127.5 - 1` from uint8). The same facts are written in the `.tflite`
(a `keras_gan` metadata buffer, see `read_tflite_metadata`) and in a sidecar JSON
(`FILE.json` beside `FILE.tflite`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gan.export.atomic import atomic_file, check_target, write_json
from keras_gan.export.int8_relu import op_output_names, rewrite_standalone_relus
from keras_gan.export.network import (
    ExportNetwork,
    export_network,
    resolve_input_size,
    resolve_model,
)
from keras_gan.export.parity import (
    TARGETS,
    ExportResult,
    compare,
    parity_report,
    sample_images,
    sample_inputs,
    tflite_op_summary,
    write_report,
)
from keras_gan.export.selective_int8 import group_by_layer, select_float_layers

QUANTIZE_MODES = ("none", "float16", "dynamic", "int8")
METADATA_NAME = "keras_gan"
CALIBRATION_IMAGES = 64  # most images read from `representative_data` for int8
CHECK_SAMPLES = 8  # calibration samples the int8 float fallback is measured on


def check_quantize(quantize: str) -> str:
    if quantize not in QUANTIZE_MODES:
        raise ValueError(
            f"quantize must be one of {QUANTIZE_MODES}. Received: quantize={quantize!r}"
        )
    return quantize


def select_ops_in(message: str) -> list[str]:
    """The TF ops a converter error says need Select TF ops (empty if none)."""
    names = set(re.findall(r"'tf\.(\w+)' op is neither a custom op nor a flex op", message))
    for line in re.findall(r"TF Select ops: ([^\n]+)", message):
        names.update(name.strip() for name in line.split(","))
    return sorted(name for name in names if name)


def _signature(spec: ExportNetwork, height: int, width: int) -> list:
    specs = []
    for index, item in enumerate(spec.inputs):
        shape = (
            (1, height, width, spec.channels)
            if index == 0 and spec.kind == "image"
            else (1, *item.shape)
        )
        specs.append(tf.TensorSpec(shape, item.dtype, name=item.name))
    return specs if len(specs) == 1 else [specs]


def _calibration_samples(spec, size, quantize, representative_data):
    if quantize != "int8":
        return None
    rng = np.random.default_rng(1)
    if spec.kind == "image":
        if representative_data is None:
            raise ValueError(
                "int8 quantization calibrates on real images: pass representative_data "
                "(--representative-data DIR, a folder of images)."
            )
        images, _ = sample_images(spec.channels, size, representative_data, CALIBRATION_IMAGES)
        samples = []
        for index, image in enumerate(images):
            sample = [(image.astype(np.float32) / 127.5 - 1.0)[None]]
            for item in spec.inputs[1:]:
                if item.dtype == "int32":
                    sample.append(np.array([index % item.cardinality], dtype=np.int32))
                else:  # a float vector input (a target-domain vector)
                    sample.append(rng.uniform(0, 1, (1, *item.shape)).astype(np.float32))
            samples.append(sample)
        return samples
    samples = []
    for index in range(CALIBRATION_IMAGES):
        sample = []
        for item in spec.inputs:
            if item.dtype == "int32":
                sample.append(np.array([index % (item.cardinality or 1)], dtype=np.int32))
            elif item.name == "z":
                sample.append(rng.standard_normal((1, *item.shape)).astype(np.float32))
            else:
                sample.append(rng.uniform(-1, 1, (1, *item.shape)).astype(np.float32))
        samples.append(sample)
    return samples


def converter_options(spec: ExportNetwork, quantize: str, calibration=None) -> dict:
    """The `TFLiteConverter` attributes of a quantization mode (builtin ops only)."""
    builtins = [tf.lite.OpsSet.TFLITE_BUILTINS]
    options = {"target_spec": {"supported_ops": builtins}}
    if quantize == "none":
        return options
    options["optimizations"] = [tf.lite.Optimize.DEFAULT]
    if quantize == "float16":
        options["target_spec"]["supported_types"] = [tf.float16]
    elif quantize == "int8":
        options["target_spec"]["supported_ops"] = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8, *builtins]
        names = spec.input_names

        def representative_dataset():
            for sample in calibration:
                yield dict(zip(names, sample, strict=True))

        options["representative_dataset"] = representative_dataset
    return options


def convert(spec: ExportNetwork, target: Path, size: tuple[int, int], quantize: str, calibration):
    """Converts `spec.network` to `target` (a `.tflite` path) with Keras' LiteRT export."""
    try:
        spec.network.export(
            str(target),
            format="litert",
            input_signature=_signature(spec, *size),
            verbose=False,
            **converter_options(spec, quantize, calibration),
        )
    except Exception as error:  # the converter raises ConverterError and others
        _refuse_select_ops(spec, error)
        raise


def _refuse_select_ops(spec: ExportNetwork, error: Exception) -> None:
    ops = select_ops_in(str(error))
    if ops:
        raise ValueError(
            f"{spec.family}'s network needs TF ops that TFLite has no builtin for "
            f"({', '.join(ops)}); exports are builtin-only."
        ) from None


def _calibrate(spec: ExportNetwork, size: tuple[int, int], calibration):
    """A `QuantizationDebugger` holding `spec.network` calibrated for int8."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        archive = keras.export.ExportArchive()
        archive.track(spec.network)
        archive.add_endpoint(
            "serve",
            functools.partial(spec.network.__call__, training=False),
            input_signature=_signature(spec, *size),
        )
        archive.write_out(folder, verbose=False)
        converter = tf.lite.TFLiteConverter.from_saved_model(folder)
        options = converter_options(spec, "int8", calibration)
        converter.optimizations = options["optimizations"]
        converter.target_spec.supported_ops = options["target_spec"]["supported_ops"]
        converter.representative_dataset = options["representative_dataset"]
        try:  # calibrates (the converter runs here)
            return tf.lite.experimental.QuantizationDebugger(converter=converter)
        except Exception as error:  # the converter raises ConverterError and others
            _refuse_select_ops(spec, error)
            raise


def convert_int8(
    spec: ExportNetwork, target: Path, size: tuple[int, int], calibration, float_layers=()
) -> dict:
    """Writes the int8 model to `target`, with layers kept in float where int8 fails.

    Calibrates (`QuantizationDebugger` on the converter); when the int8 graph has
    RELU ops XNNPACK cannot run, rewrites those layers (`int8_relu`) and calibrates
    again. Then requantizes with layers denylisted as
    `selective_int8.select_float_layers` decides, measured against the Keras network
    on the first `CHECK_SAMPLES` calibration samples. Returns the fallback report
    (`float_layers`, `reason`, `steps`, ..., and `rewritten_relus`).
    """
    debugger = _calibrate(spec, size, calibration)
    network, rewritten = rewrite_standalone_relus(spec.network, debugger.calibrated_model)
    if rewritten:
        debugger = _calibrate(dataclasses.replace(spec, network=network), size, calibration)

    def quantize(denylisted: list[str]) -> bytes:
        debugger.options.denylisted_nodes = list(denylisted)
        return debugger.get_nondebug_quantized_model()

    checks = calibration[:CHECK_SAMPLES]
    expected = [_keras_output(spec, sample) for sample in checks]  # the network as trained

    def evaluate(content: bytes) -> float:  # the worst sample's PSNR
        run = interpreter_function(load_interpreter(content=content), spec)
        return min(compare(e, run(s))["psnr_db"] for e, s in zip(expected, checks, strict=True))

    groups = group_by_layer(network, op_output_names(debugger.calibrated_model))
    target_db = next(value for metric, _, value in TARGETS["tflite:int8"] if metric == "psnr_db")
    content, report = select_float_layers(quantize, evaluate, groups, target_db, float_layers)
    target.write_bytes(content)
    report["checked_on"] = f"lowest PSNR of {len(checks)} calibration sample(s)"
    report["rewritten_relus"] = rewritten
    return report


def metadata(spec: ExportNetwork, size: tuple[int, int], quantize: str, interpreter) -> dict:
    """The facts a runtime needs: tensors, dtypes, shapes, value ranges."""
    normalization = {"range": [-1.0, 1.0], "from_uint8": "x / 127.5 - 1"}
    inputs = []
    for detail, item in zip(_ordered_inputs(spec, interpreter), spec.inputs, strict=True):
        entry = {
            "name": item.name,
            "tensor": detail["name"],
            "shape": [int(s) for s in detail["shape"]],
            "dtype": np.dtype(detail["dtype"]).name,
        }
        if item.dtype == "int32":
            entry["values"] = [0, item.cardinality]
        else:
            entry["normalization"] = normalization if item.name == "images" else None
        inputs.append(entry)
    output = interpreter.get_output_details()[0]
    return {
        "format": "keras_gan.tflite",
        "version": 1,
        **spec.describe(),
        "quantize": quantize,
        "input_size": list(size) if spec.kind == "image" else None,
        "inputs": inputs,
        "outputs": [
            {
                "name": "images",
                "tensor": output["name"],
                "shape": [int(s) for s in output["shape"]],
                "dtype": np.dtype(output["dtype"]).name,
                "normalization": {"range": [-1.0, 1.0], "to_uint8": "round((y + 1) * 127.5)"},
            }
        ],
    }


def add_metadata(path: Path, data: dict) -> None:
    """Appends `data` as JSON to the flatbuffer's `metadata` (named `keras_gan`)."""
    from tensorflow.lite.python import schema_py_generated as schema
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(path.read_bytes()))
    buffer = schema.BufferT()
    buffer.data = np.frombuffer(json.dumps(data).encode("utf-8"), dtype=np.uint8)
    model.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name = METADATA_NAME
    entry.buffer = len(model.buffers) - 1
    model.metadata = [*(model.metadata or []), entry]
    path.write_bytes(flatbuffer_utils.convert_object_to_bytearray(model))


def read_tflite_metadata(path: str | os.PathLike) -> dict:
    """The `keras_gan` metadata of a `.tflite` file written by `export_tflite`."""
    from tensorflow.lite.python import schema_py_generated as schema

    data = Path(path).read_bytes()
    model = schema.Model.GetRootAs(data, 0)
    for index in range(model.MetadataLength()):
        entry = model.Metadata(index)
        if entry.Name().decode("utf-8") == METADATA_NAME:
            return json.loads(model.Buffers(entry.Buffer()).DataAsNumpy().tobytes())
    raise ValueError(f"{path} has no {METADATA_NAME!r} metadata.")


def _ordered_inputs(spec: ExportNetwork, interpreter) -> list[dict]:
    """The interpreter's input details in the order of `spec.inputs` (matched by name)."""
    details = interpreter.get_input_details()
    ordered = []
    for item in spec.inputs:
        matches = [d for d in details if re.search(rf"(^|_){item.name}(:\d+)?$", d["name"])]
        if len(matches) != 1:
            raise ValueError(f"Cannot find input {item.name!r} in {[d['name'] for d in details]}.")
        ordered.append(matches[0])
    return ordered


def interpreter_function(interpreter, spec: ExportNetwork):
    """A function from one sample (batch-1 arrays in `spec.inputs` order) to the output."""
    inputs = _ordered_inputs(spec, interpreter)
    output = interpreter.get_output_details()[0]["index"]

    def run(sample):
        for detail, value in zip(inputs, sample, strict=True):
            interpreter.set_tensor(detail["index"], np.asarray(value, dtype=detail["dtype"]))
        interpreter.invoke()
        return interpreter.get_tensor(output).copy()

    return run


def _keras_output(spec: ExportNetwork, sample) -> np.ndarray:
    return keras.ops.convert_to_numpy(spec.call([tf.constant(x) for x in sample]))


def load_interpreter(path: str | os.PathLike | None = None, content: bytes | None = None):
    """A LiteRT interpreter (tensors allocated) of a `.tflite` file or its bytes."""
    from ai_edge_litert.interpreter import Interpreter

    if content is not None:
        interpreter = Interpreter(model_content=content)
    else:
        interpreter = Interpreter(model_path=str(path))
    interpreter.allocate_tensors()
    return interpreter


def export_tflite(
    model,
    path: str | os.PathLike,
    quantize: str = "none",
    input_size=None,
    representative_data: str | os.PathLike | None = None,
    direction: str | None = None,
    float_layers: Sequence[str] | None = None,
    overwrite: bool = False,
    parity: bool = True,
    runs: int = 10,
    verbose: bool = True,
) -> ExportResult:
    """Writes the generator as a builtin-ops-only `.tflite` file, its sidecar and parity report.

    Args:
        model: a keras-gan model, or a `.keras` path / preset name.
        path: the `.tflite` file.
        quantize: `none`, `float16`, `dynamic` or `int8` (see the module docstring).
        input_size: the fixed input side S or (H, W) of image networks, multiples of
            the model's `size_multiple` (default: the model's `image_size`, else 256).
        representative_data: a folder of images: int8 calibration and parity inputs.
        direction: CycleGAN's `AtoB` (default) or `BtoA`.
        float_layers: int8 only: layers to keep in float (leaf names like `rgb`, paths
            like `ab_generator/down0_conv`, or a nested model's name). Default: the
            model's `int8_float_layers` attribute, if any. When the model still misses
            the int8 PSNR target, more layers are kept in float (see `selective_int8`).
        overwrite: replace existing files (refused otherwise).
        parity: compare with the Keras network and write `FILE.tflite.parity.json`.
        runs: timed runs for the median latency.
        verbose: print the parity summary.
    """
    quantize = check_quantize(quantize)
    path = Path(path)
    if path.suffix != ".tflite":
        raise ValueError(f"The TFLite file must end in .tflite. Received: {str(path)!r}")
    sidecar = path.with_suffix(".json")
    check_target(path, overwrite)
    check_target(sidecar, overwrite)
    if float_layers is not None and quantize != "int8":
        raise ValueError(
            f"float_layers applies to quantize='int8'. Received: quantize={quantize!r}, "
            f"float_layers={float_layers!r}"
        )
    model = resolve_model(model)
    declared = tuple(
        float_layers if float_layers is not None else getattr(model, "int8_float_layers", ())
    )
    spec = export_network(model, direction)
    size = resolve_input_size(spec, input_size)
    calibration = _calibration_samples(spec, size, quantize, representative_data)
    fallback = None
    with atomic_file(path, overwrite) as staging:
        if quantize == "int8":
            fallback = convert_int8(spec, staging, size, calibration, declared)
            if verbose:
                print(f"int8: {fallback['reason']}")
        else:
            convert(spec, staging, size, quantize, calibration)
        facts = metadata(spec, size, quantize, load_interpreter(staging))
        if fallback is not None:
            facts["int8_float_layers"] = fallback["float_layers"]
        add_metadata(staging, facts)
        load_interpreter(staging)  # the file still loads with its metadata
    write_json(sidecar, facts)
    report = report_path = None
    if parity:
        interpreter = load_interpreter(path)
        samples, source = sample_inputs(spec, size, representative_data)

        ops = tflite_op_summary(interpreter)
        report = parity_report(
            functools.partial(_keras_output, spec),
            interpreter_function(interpreter, spec),
            samples,
            target=f"tflite:{quantize}",
            runs=runs,
            size_bytes=path.stat().st_size,
            extra=ops,
        )
        report.update(format="tflite", quantize=quantize, path=str(path), sample_source=source)
        if fallback is not None:
            report["float_fallback"] = fallback
        report["network"] = spec.describe()
        report_path = write_report(report, path, verbose)
    return ExportResult(
        path=path, format="tflite", parity=report, parity_path=report_path, sidecar_path=sidecar
    )
