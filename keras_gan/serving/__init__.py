"""Serve exported generators: a TF-Serving-compatible server (gRPC + REST) and a client.

- `Client`: predict / predict_bytes / metadata / status against TensorFlow Serving or
  `keras-gan serve`, over gRPC or REST, with deadlines and retries on UNAVAILABLE.
- `ModelServer`: the server behind `keras-gan serve` (TF-Serving's flags, APIs, version
  policy, warm-up, batching and config files).
"""

from keras_gan.serving.client import Client
from keras_gan.serving.config import (
    BatchingOptions,
    BatchingParameters,
    parse_batching_parameters,
    parse_model_config,
    read_batching_parameters,
    read_model_config,
)
from keras_gan.serving.errors import ServingError
from keras_gan.serving.server import ModelServer

__all__ = [
    "BatchingOptions",
    "BatchingParameters",
    "Client",
    "ModelServer",
    "ServingError",
    "parse_batching_parameters",
    "parse_model_config",
    "read_batching_parameters",
    "read_model_config",
]
