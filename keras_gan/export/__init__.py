"""Export a model's generator: SavedModel for TF-Serving, TFLite, ONNX; each with a parity report."""

from keras_gan.export.network import ExportNetwork, export_network
from keras_gan.export.onnx import export_onnx
from keras_gan.export.parity import ExportResult, parity_report
from keras_gan.export.saved_model import export_saved_model
from keras_gan.export.tflite import QUANTIZE_MODES, export_tflite, read_tflite_metadata
from keras_gan.export.warmup import read_warmup_requests

FORMATS = ("savedmodel", "tflite", "onnx")


def export_model(model, format: str, path, **kwargs) -> ExportResult:
    """Exports `model` (a model, `.keras` path or preset name) in `format` to `path`.

    `format` is `savedmodel`, `tflite` or `onnx`; `kwargs` go to `export_saved_model`,
    `export_tflite` or `export_onnx`.
    """
    exporters = {"savedmodel": export_saved_model, "tflite": export_tflite, "onnx": export_onnx}
    if format not in exporters:
        raise ValueError(f"Unknown export format {format!r}. Expected one of {FORMATS}.")
    return exporters[format](model, path, **kwargs)


__all__ = [
    "FORMATS",
    "QUANTIZE_MODES",
    "ExportNetwork",
    "ExportResult",
    "export_model",
    "export_network",
    "export_onnx",
    "export_saved_model",
    "export_tflite",
    "parity_report",
    "read_tflite_metadata",
    "read_warmup_requests",
]
