"""ONNX export through Keras' own `model.export(format="onnx")` (tf2onnx), checked with onnxruntime.

Inputs are float32 in [-1, 1] (`images`, or the noise network's `z`, `labels`, ...)
and the output `output_images` float32 in [-1, 1]. Batch, height and width stay dynamic
(height and width must be multiples of the model's `size_multiple`).
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gan.export.atomic import atomic_file, check_target
from keras_gan.export.network import (
    ExportNetwork,
    export_network,
    resolve_input_size,
    resolve_model,
)
from keras_gan.export.parity import ExportResult, parity_report, sample_inputs, write_report

OUTPUT_NAME = "output_images"  # inputs may be called `images`: ONNX names are unique


def _signature(spec: ExportNetwork) -> list:
    specs = []
    for index, item in enumerate(spec.inputs):
        shape = (
            (None, None, None, spec.channels)
            if index == 0 and spec.kind == "image"
            else (None, *item.shape)
        )
        specs.append(tf.TensorSpec(shape, item.dtype, name=item.name))
    return specs if len(specs) == 1 else [specs]


def rename_output(path: Path, name: str = OUTPUT_NAME) -> None:
    """Renames the graph's single output (tf2onnx calls it `Identity:0`) to `name`."""
    import onnx

    model = onnx.load(str(path))
    old = model.graph.output[0].name
    if old != name:
        for node in model.graph.node:
            node.output[:] = [name if value == old else value for value in node.output]
            node.input[:] = [name if value == old else value for value in node.input]
        model.graph.output[0].name = name
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def onnx_function(session, spec: ExportNetwork):
    """A function from one sample (arrays in `spec.inputs` order) to the output."""
    names = spec.input_names

    def run(sample):
        feeds = {name: np.asarray(value) for name, value in zip(names, sample, strict=True)}
        return session.run([OUTPUT_NAME], feeds)[0]

    return run


def load_session(path: str | os.PathLike):
    import onnxruntime

    onnxruntime.set_default_logger_severity(3)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def export_onnx(
    model,
    path: str | os.PathLike,
    input_size=None,
    representative_data: str | os.PathLike | None = None,
    direction: str | None = None,
    overwrite: bool = False,
    parity: bool = True,
    runs: int = 10,
    opset: int | None = None,
    verbose: bool = True,
) -> ExportResult:
    """Writes the generator as an `.onnx` file and its parity report.

    Args:
        model: a keras-gan model, or a `.keras` path / preset name.
        path: the `.onnx` file.
        input_size: side S or (H, W) of the parity inputs (the file takes any
            multiple of `size_multiple`); default: the model's natural size.
        representative_data: a folder of images to use for parity instead of the
            bundled photos.
        direction: CycleGAN's `AtoB` (default) or `BtoA`.
        overwrite: replace an existing file (refused otherwise).
        parity: compare with the Keras network in onnxruntime; write `FILE.onnx.parity.json`.
        runs: timed runs for the median latency.
        opset: the ONNX opset (default: tf2onnx's).
        verbose: print the parity summary.
    """
    path = Path(path)
    if path.suffix != ".onnx":
        raise ValueError(f"The ONNX file must end in .onnx. Received: {str(path)!r}")
    check_target(path, overwrite)
    model = resolve_model(model)
    spec = export_network(model, direction)
    size = resolve_input_size(spec, input_size)
    with atomic_file(path, overwrite) as staging:
        spec.network.export(
            str(staging),
            format="onnx",
            input_signature=_signature(spec),
            opset_version=opset,
            verbose=False,
        )
        rename_output(staging)
    report = report_path = None
    if parity:
        session = load_session(path)
        samples, source = sample_inputs(spec, size, representative_data)

        def reference(sample):
            return keras.ops.convert_to_numpy(spec.call([tf.constant(x) for x in sample]))

        report = parity_report(
            reference,
            onnx_function(session, spec),
            samples,
            target="onnx",
            runs=runs,
            size_bytes=path.stat().st_size,
        )
        report.update(format="onnx", path=str(path), sample_source=source)
        report["network"] = spec.describe()
        report_path = write_report(report, path, verbose)
    return ExportResult(path=path, format="onnx", parity=report, parity_path=report_path)
