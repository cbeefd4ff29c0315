"""keras-gan: generative adversarial networks as Keras 3 models."""

import os as _os

_os.environ.setdefault("KERAS_BACKEND", "tensorflow")
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from keras_gan.quiet_tensorflow import import_tensorflow as _import_tensorflow  # noqa: E402

_import_tensorflow()

from keras_gan import (  # noqa: E402
    callbacks,
    data,
    export,
    layers,
    losses,
    metrics,
    models,
    perceptual,
    presets,
    registry,
    run,
    schedules,
    serving,
    tasks,
)

__version__ = "0.1.0"
__all__ = [
    "callbacks",
    "data",
    "export",
    "layers",
    "losses",
    "metrics",
    "models",
    "perceptual",
    "presets",
    "registry",
    "run",
    "schedules",
    "serving",
    "tasks",
    "__version__",
]
