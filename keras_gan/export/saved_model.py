"""SavedModel export for TF-Serving: `BASE/NAME/VERSION/` written through `ExportArchive`.

The archive tracks the exported network (see `keras_gan.export.network`) and adds the
signatures of `keras_gan.export.signatures` (`serving_default` first). Warm-up
requests go to `VERSION/assets.extra/tf_serving_warmup_requests`, and what the server needs
to know of the network (scale, whether it may run in tiles) to
`VERSION/assets.extra/keras_gan_serving.json`. The version folder
is written beside its final place and renamed when complete, so TF-Serving never
sees a partial version; the parity report goes beside it, `BASE/NAME/VERSION.parity.json`
(inside the version folder only `assets.extra` may hold extra files).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gan.export.atomic import atomic_directory, check_target, directory_size
from keras_gan.export.network import (
    ExportNetwork,
    export_network,
    resolve_input_size,
    resolve_model,
)
from keras_gan.export.parity import ExportResult, parity_report, sample_inputs, write_report
from keras_gan.export.signatures import (
    SIGNATURE_BYTES,
    SIGNATURE_DEFAULT,
    SIGNATURE_FLOAT,
    bytes_signature,
    float_signature,
    uint8_signature,
)
from keras_gan.export.warmup import write_warmup_requests


def check_version_path(path: str | os.PathLike) -> Path:
    """`BASE/NAME/VERSION` with a numeric VERSION (what TF-Serving loads)."""
    path = Path(path)
    if not path.name.isdigit() or path.parent == Path(path.anchor) or not path.parent.name:
        raise ValueError(
            "A SavedModel for TF-Serving is written to BASE/NAME/VERSION with a numeric "
            f"VERSION (e.g. models/pix2pix/1). Received: {str(path)!r}"
        )
    return path


def build_archive(spec: ExportNetwork) -> keras.export.ExportArchive:
    """An `ExportArchive` with the serving signatures of `spec`'s network."""
    archive = keras.export.ExportArchive()
    archive.track(spec.network)
    endpoints = [(SIGNATURE_DEFAULT, uint8_signature(spec))]
    if spec.kind == "image":
        endpoints.append((SIGNATURE_BYTES, bytes_signature(spec)))
    endpoints.append((SIGNATURE_FLOAT, float_signature(spec)))
    for name, (function, signature) in endpoints:
        archive.add_endpoint(name, function, input_signature=signature)
    return archive


def _uint8(images: np.ndarray) -> np.ndarray:
    return np.clip(np.round((np.asarray(images) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def _feeds(spec: ExportNetwork, sample: list[np.ndarray], uint8_images: bool) -> dict:
    feeds = {}
    for index, (item, value) in enumerate(zip(spec.inputs, sample, strict=True)):
        if index == 0 and spec.kind == "image" and uint8_images:
            value = _uint8(value)
        feeds[item.name] = value
    return feeds


def warmup_requests(spec: ExportNetwork, samples: list[list[np.ndarray]]) -> list[tuple[str, dict]]:
    """One request per signature TF-Serving users call, from the first parity sample."""
    sample = samples[0]
    requests = [(SIGNATURE_DEFAULT, _feeds(spec, sample, uint8_images=True))]
    if spec.kind == "image":
        image = _uint8(sample[0][0])
        png = tf.io.encode_png(image).numpy()
        rest = {item.name: value for item, value in zip(spec.inputs[1:], sample[1:], strict=True)}
        requests.append((SIGNATURE_BYTES, {"image_bytes": np.array([png], dtype=object), **rest}))
    return requests


def export_saved_model(
    model,
    path: str | os.PathLike,
    overwrite: bool = False,
    warmup: bool = True,
    direction: str | None = None,
    parity: bool = True,
    runs: int = 10,
    input_size=None,
    representative_data: str | os.PathLike | None = None,
    verbose: bool = True,
    memory_budget_mb: int | None = None,
) -> ExportResult:
    """Writes the generator as a TF-Serving SavedModel at `path` = `BASE/NAME/VERSION`.

    Args:
        model: a keras-gan model, or a `.keras` path / preset name.
        path: the version folder; NAME (its parent's name) is the served model name.
        overwrite: replace an existing version folder (refused otherwise).
        warmup: write `assets.extra/tf_serving_warmup_requests`.
        direction: CycleGAN's `AtoB` (default) or `BtoA`.
        parity: compare `serving_float` and `serving_default` with the Keras network
            and write `BASE/NAME/VERSION.parity.json`.
        runs: timed runs for the median latency.
        input_size: side (or (H, W)) of the photo crops the parity check and the
            warm-up requests use (default: the model's natural size).
        representative_data: a folder of images to use instead of the bundled photos.
        verbose: print the parity summary.
        memory_budget_mb: the memory budget `keras-gan serve` gives this model unless
            its `--model_memory_budget_mb NAME=MB` flag says otherwise (written to
            `assets.extra/keras_gan_serving.json`, which TF-Serving ignores, so the
            models.config stays TF-Serving's).

    Returns:
        An `ExportResult` (path, parity report or None, parity report path).
    """
    if memory_budget_mb is not None and (
        not isinstance(memory_budget_mb, int)
        or isinstance(memory_budget_mb, bool)
        or memory_budget_mb < 1
    ):
        raise ValueError(
            f"`memory_budget_mb` must be a positive int. Received: {memory_budget_mb!r}"
        )
    path = check_target(check_version_path(path), overwrite)
    model = resolve_model(model)
    spec = export_network(model, direction)
    size = resolve_input_size(spec, input_size)
    samples, source = sample_inputs(spec, size, representative_data)
    archive = build_archive(spec)
    with atomic_directory(path, overwrite) as staging:
        archive.write_out(str(staging), verbose=False)
        write_serving_facts(staging, spec, memory_budget_mb)
        if warmup:
            write_warmup_requests(staging, path.parent.name, warmup_requests(spec, samples))
    report = report_path = None
    if parity:
        report = saved_model_parity(spec, path, samples, runs)
        report.update(format="savedmodel", path=str(path), sample_source=source)
        report["network"] = spec.describe()
        report_path = write_report(report, path, verbose)
    return ExportResult(path=path, format="savedmodel", parity=report, parity_path=report_path)


SERVING_FACTS = "keras_gan_serving.json"


def write_serving_facts(
    version_dir: Path, spec: ExportNetwork, memory_budget_mb: int | None = None
) -> None:
    """`assets.extra/keras_gan_serving.json`: the network's facts the server plans with.

    `tile_safe` marks networks a server may run tile by tile (fully convolutional, no
    image-wide statistics): super-resolution, as `keras-gan predict` tiles it.
    `memory_budget_mb`, when given, is the model's serving memory budget.
    """
    facts = dict(spec.describe(), tile_safe=spec.kind == "image" and spec.scale > 1)
    if memory_budget_mb is not None:
        facts["memory_budget_mb"] = memory_budget_mb
    folder = Path(version_dir) / "assets.extra"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SERVING_FACTS).write_text(json.dumps(facts, indent=2) + "\n")


def saved_model_parity(spec: ExportNetwork, path: Path, samples, runs: int) -> dict:
    """Parity of a written SavedModel: `serving_float` to 1e-4, `serving_default` to 1 level."""
    loaded = tf.saved_model.load(str(path))
    float_fn = loaded.signatures[SIGNATURE_FLOAT]
    default_fn = loaded.signatures[SIGNATURE_DEFAULT]

    def reference(sample):
        return keras.ops.convert_to_numpy(spec.call([tf.constant(x) for x in sample]))

    def exported(sample):
        return float_fn(**{k: tf.constant(v) for k, v in _feeds(spec, sample, False).items()})[
            "images"
        ].numpy()

    level_errors = []
    for sample in samples:
        inputs = sample
        if spec.kind == "image":  # the float image the uint8 signature sees
            inputs = [_uint8(sample[0]).astype(np.float32) / 127.5 - 1.0, *sample[1:]]
        expected = _uint8(reference(inputs))
        feeds = _feeds(spec, sample, uint8_images=True)
        actual = default_fn(**{k: tf.constant(v) for k, v in feeds.items()})["images"].numpy()
        level_errors.append(int(np.abs(actual.astype(int) - expected.astype(int)).max()))
    return parity_report(
        reference,
        exported,
        samples,
        target="savedmodel",
        runs=runs,
        size_bytes=directory_size(path),
        extra={"uint8_max_level_error": max(level_errors)},
    )
