"""Parity of an exported model against the Keras network: error, PSNR, size, latency.

Every export runs the Keras network and the exported artifact on the same real inputs
(crops of photos for image-to-image networks, fixed-seed latents for noise networks),
compares the float outputs in [-1, 1], times the artifact on CPU, and writes the
report as JSON beside the export (`<export>.parity.json`).
"""

from __future__ import annotations

import dataclasses
import math
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from keras_gan.export.atomic import write_json
from keras_gan.export.network import ExportNetwork
from keras_gan.metrics.image_quality import psnr

PHOTOS = ("astronaut", "coffee", "chelsea")
PSNR_CAP = 100.0  # dB reported for identical outputs (JSON has no infinity)
SEED = 0
# Thresholds per export: (metric, "max" or "min", value).
TARGETS = {
    "savedmodel": [("max_abs_error", "max", 1e-4), ("uint8_max_level_error", "max", 1)],
    "onnx": [("max_abs_error", "max", 1e-4)],
    "tflite:none": [("max_abs_error", "max", 1e-4)],
    "tflite:float16": [("psnr_db", "min", 40.0)],
    "tflite:dynamic": [("psnr_db", "min", 30.0)],
    "tflite:int8": [("psnr_db", "min", 30.0)],
}


def fit_image(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """uint8 [H, W, C] centre-cropped to the aspect of (height, width) and resized to it."""
    h, w = image.shape[:2]
    if h * width > w * height:
        crop = max(1, round(w * height / width))
        top = (h - crop) // 2
        image = image[top : top + crop]
    else:
        crop = max(1, round(h * width / height))
        left = (w - crop) // 2
        image = image[:, left : left + crop]
    squeezed = image[..., 0] if image.shape[-1] == 1 else image
    resized = np.asarray(Image.fromarray(squeezed).resize((width, height), Image.BICUBIC))
    return resized[..., None] if resized.ndim == 2 else resized


def sample_images(
    channels: int, size: tuple[int, int], directory: str | os.PathLike | None = None, limit=3
) -> tuple[list[np.ndarray], str]:
    """`limit` uint8 images [H, W, channels] and where they come from.

    From `directory` (sorted image files) when given, else skimage's bundled photos.
    """
    from keras_gan.prediction import to_channels

    if directory is not None:
        from keras_gan.data.image_files import list_image_files, load_image

        if not Path(directory).is_dir():
            raise FileNotFoundError(f"No folder of images at {directory}.")
        paths = sorted(list_image_files(str(directory)))[:limit]
        if not paths:
            raise ValueError(f"{directory} holds no image files.")
        images = [load_image(path, channels) for path in paths]
        source = f"{len(paths)} image(s) from {directory}"
    else:
        import skimage.data

        images = [to_channels(getattr(skimage.data, name)(), channels) for name in PHOTOS]
        images = images[:limit]
        source = "skimage.data photos: " + ", ".join(PHOTOS[:limit])
    return [fit_image(image, *size) for image in images], source


def sample_inputs(
    spec: ExportNetwork,
    size: tuple[int, int] | None = None,
    directory: str | os.PathLike | None = None,
    count: int = 3,
) -> tuple[list[list[np.ndarray]], str]:
    """Real inputs for parity: a list of samples, each a list of batch-1 arrays.

    Image networks get photo crops in [-1, 1] (`size` = (H, W)); int inputs cycle
    through their values (style 0, 1, ...); noise networks get latents drawn with a
    fixed seed.
    """
    rng = np.random.default_rng(SEED)
    samples = []
    if spec.kind == "image":
        images, source = sample_images(spec.channels, size, directory, count)
    else:
        images, source = [None] * count, f"latents drawn with seed {SEED}"
    for index, image in enumerate(images):
        sample = []
        for position, item in enumerate(spec.inputs):
            if position == 0 and image is not None:
                sample.append((image.astype(np.float32) / 127.5 - 1.0)[None])
            elif item.dtype == "int32":
                sample.append(np.array([index % (item.cardinality or 1)], dtype=np.int32))
            elif item.name == "z":
                sample.append(rng.standard_normal((1, *item.shape)).astype(np.float32))
            else:
                sample.append(rng.uniform(-1.0, 1.0, (1, *item.shape)).astype(np.float32))
        samples.append(sample)
    return samples, source


def compare(reference: np.ndarray, exported: np.ndarray) -> dict:
    """Max / mean absolute error and PSNR (on [0, 255]) of outputs in [-1, 1]."""
    reference = np.asarray(reference, dtype=np.float64)
    exported = np.asarray(exported, dtype=np.float64)
    if reference.shape != exported.shape:
        raise ValueError(
            f"The export's output has shape {exported.shape}; the Keras network's "
            f"{reference.shape}."
        )
    error = np.abs(reference - exported)
    worst = np.unravel_index(int(np.argmax(error)), error.shape)
    value = psnr(reference, exported) if reference.ndim in (3, 4) else math.inf
    return {
        "max_abs_error": float(error.max()),
        "mean_abs_error": float(error.mean()),
        "psnr_db": float(min(value, PSNR_CAP)),
        "worst_index": [int(i) for i in worst],
    }


def median_latency_ms(function: Callable[[], object], runs: int) -> float:
    """Median wall time of `function()` over `runs` calls (after one untimed call), in ms."""
    function()
    times = []
    for _ in range(max(1, int(runs))):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000.0)
    return float(statistics.median(times))


def check_targets(target: str, metrics: dict) -> list[dict]:
    """The pass/fail of each threshold of `target` (a `TARGETS` key) on `metrics`."""
    checks = []
    for metric, kind, threshold in TARGETS[target]:
        value = metrics[metric]
        passed = value <= threshold if kind == "max" else value >= threshold
        checks.append({"metric": metric, kind: threshold, "value": value, "passed": passed})
    return checks


def tflite_op_summary(interpreter) -> dict:
    """Op counts of a TFLite interpreter, the ops that still compute in float32, and
    the number of delegate partitions.

    An op "computes in float" when a non-constant operand or its result is float32;
    QUANTIZE / DEQUANTIZE at the edges and delegate nodes are left out.
    `delegate_partitions` counts the delegate's nodes (on CPU, XNNPACK's): each op the
    delegate cannot run splits its graph, so more than 1 means some op runs on
    TFLite's slower builtin kernels, with conversions at each border.
    """
    counts, float_ops = Counter(), Counter()
    partitions = 0
    for op in interpreter._get_ops_details():
        name = op["op_name"]
        if name == "DELEGATE":
            partitions += 1
            continue
        counts[name] += 1
        if name in ("QUANTIZE", "DEQUANTIZE"):
            continue
        types = list(op.get("operand_types", [])) + list(op.get("result_types", []))
        if any(np.dtype(t) == np.float32 for t in types):
            float_ops[name] += 1
    return {
        "ops": dict(sorted(counts.items())),
        "float_ops": dict(sorted(float_ops.items())),
        "delegate_partitions": partitions,
    }


def parity_report(
    reference: Callable[[list[np.ndarray]], np.ndarray],
    exported: Callable[[list[np.ndarray]], np.ndarray],
    samples: Sequence[list[np.ndarray]],
    *,
    target: str,
    runs: int = 10,
    size_bytes: int | None = None,
    output_name: str = "images",
    extra: dict | None = None,
) -> dict:
    """Compares `exported` with `reference` on `samples`; a JSON-ready report.

    Args:
        reference, exported: functions from one sample (a list of batch-1 arrays) to
            float outputs in [-1, 1].
        samples: the inputs (see `sample_inputs`).
        target: the `TARGETS` key whose thresholds decide `passed`.
        runs: timed runs of `exported` on the first sample (median reported).
        size_bytes: the export's size on disk.
        output_name: the compared output, named when it falls short.
        extra: more metrics (e.g. `uint8_max_level_error`) and facts to include.
    """
    if target not in TARGETS:
        raise ValueError(f"Unknown parity target {target!r}. Expected one of {sorted(TARGETS)}.")
    expected = np.concatenate([np.asarray(reference(sample)) for sample in samples])
    actual = np.concatenate([np.asarray(exported(sample)) for sample in samples])
    metrics = compare(expected, actual)
    extra = dict(extra or {})
    metrics.update({k: v for k, v in extra.items() if k not in metrics})
    report = {
        "target": target,
        "samples": len(samples),
        **metrics,
        "file_size_bytes": size_bytes,
        "latency_ms_median": median_latency_ms(lambda: exported(samples[0]), runs),
        "latency_runs": int(runs),
    }
    report["checks"] = check_targets(target, report)
    report["passed"] = all(check["passed"] for check in report["checks"])
    if not report["passed"]:
        worst = report["worst_index"]
        report["diagnosis"] = {
            "largest_error_output": output_name,
            "largest_error_sample": worst[0],
            "largest_error_at": worst[1:],
        }
        if "float_ops" in report:
            report["diagnosis"]["ops_not_quantized"] = sorted(report["float_ops"])
    return report


def parity_path(export_path: str | os.PathLike) -> Path:
    """`<export>.parity.json` beside the export: `x.tflite.parity.json`, `BASE/NAME/1.parity.json`."""
    path = Path(export_path)
    return path.with_name(f"{path.name}.parity.json")


def write_report(report: dict, export_path: str | os.PathLike, verbose: bool = True) -> Path:
    """Writes the report beside the export and prints a summary line per check."""
    path = write_json(parity_path(export_path), report)
    if verbose:
        for check in report["checks"]:
            bound = f"<= {check['max']:g}" if "max" in check else f">= {check['min']:g}"
            status = "ok" if check["passed"] else "FAILED"
            print(
                f"parity {report['target']}: {check['metric']} = {check['value']:.6g} ({bound}) {status}"
            )
        print(
            f"parity {report['target']}: psnr {report['psnr_db']:.2f} dB, size "
            f"{report['file_size_bytes']} bytes, median latency {report['latency_ms_median']:.2f} ms "
            f"over {report['latency_runs']} runs -> {path}"
        )
    return path


@dataclasses.dataclass(frozen=True)
class ExportResult:
    """What an export wrote.

    Attributes:
        path: the SavedModel version folder, `.tflite` or `.onnx` file.
        format: `"savedmodel"`, `"tflite"` or `"onnx"`.
        parity: the parity report (None when skipped).
        parity_path: where the report was written (None when skipped).
        sidecar_path: the TFLite JSON sidecar (None for other formats).
    """

    path: Path
    format: str
    parity: dict | None = None
    parity_path: Path | None = None
    sidecar_path: Path | None = None
