"""TF-Serving warm-up requests: `assets.extra/tf_serving_warmup_requests`.

TF-Serving replays this file when it loads a version, so the first real request does
not pay for lazy initialization. The format is TF-Serving's: a TFRecord file whose
records are serialized `PredictionLog` protos, each holding a `PredictRequest`
(`model_spec.name`, `model_spec.signature_name`, inputs as `TensorProto`s). At most
1000 records are allowed.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import tensorflow as tf

WARMUP_FOLDER = "assets.extra"
WARMUP_FILE = "tf_serving_warmup_requests"
MAX_RECORDS = 1000


def warmup_path(export_dir: str | os.PathLike) -> Path:
    """Where the warm-up file of a SavedModel folder lives."""
    return Path(export_dir) / WARMUP_FOLDER / WARMUP_FILE


def write_warmup_requests(
    export_dir: str | os.PathLike, model_name: str, requests: list[tuple[str, dict]]
) -> Path:
    """Writes `requests` (`(signature_name, {input: array})` pairs) as warm-up records."""
    from tensorflow_serving.apis import predict_pb2, prediction_log_pb2

    if not 0 < len(requests) <= MAX_RECORDS:
        raise ValueError(f"Expected 1 to {MAX_RECORDS} warm-up requests; got {len(requests)}.")
    path = warmup_path(export_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tf.io.TFRecordWriter(str(path)) as writer:
        for signature_name, inputs in requests:
            request = predict_pb2.PredictRequest()
            request.model_spec.name = model_name
            request.model_spec.signature_name = signature_name
            for key, value in inputs.items():
                request.inputs[key].CopyFrom(tf.make_tensor_proto(value))
            log = prediction_log_pb2.PredictionLog(
                predict_log=prediction_log_pb2.PredictLog(request=request)
            )
            writer.write(log.SerializeToString())
    return path


def read_warmup_requests(path: str | os.PathLike) -> list[tuple[str, str, dict]]:
    """The `(model_name, signature_name, {input: array})` of each record of a warm-up file."""
    from tensorflow_serving.apis import prediction_log_pb2

    result = []
    for record in tf.data.TFRecordDataset(str(path)).as_numpy_iterator():
        log = prediction_log_pb2.PredictionLog.FromString(record)
        request = log.predict_log.request
        inputs = {key: tf.make_ndarray(proto) for key, proto in request.inputs.items()}
        result.append((request.model_spec.name, request.model_spec.signature_name, inputs))
    return result


def replay_warmup_requests(loaded, path: str | os.PathLike) -> list[dict]:
    """Runs each warm-up request on a `tf.saved_model.load`ed model; returns the outputs."""
    outputs = []
    for _, signature_name, inputs in read_warmup_requests(path):
        function = loaded.signatures[signature_name]
        result = function(**{key: tf.constant(value) for key, value in inputs.items()})
        outputs.append({key: np.asarray(value) for key, value in result.items()})
    return outputs
