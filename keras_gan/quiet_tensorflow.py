"""Imports TensorFlow without the C++ start-up banner that TF_CPP_MIN_LOG_LEVEL misses.

TensorFlow 2.21 logs a few INFO lines (oneDNN, "Could not find cuda drivers", "All log
messages before absl::InitializeLog() ...") and, on machines without a GPU, an error line
about cuInit from static initializers, before its log level applies. With
TF_CPP_MIN_LOG_LEVEL >= 1 (keras-gan's default is 2) those lines are filtered out of
standard error while TensorFlow loads; anything else it prints there passes through.
TF_CPP_MIN_LOG_LEVEL=0 keeps them all.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile

BANNER = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IW]\d{4} [\d:.]+ +\d+ \S+:\d+\]"
    r"|E\d{4} [\d:.]+ +\d+ cuda_\w+\.cc:\d+\] failed call to cuInit)"
)


def import_tensorflow() -> None:
    """Imports TensorFlow (and lists its GPUs) with the banner lines filtered out."""
    if "tensorflow" in sys.modules or os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0") == "0":
        import tensorflow  # noqa: F401

        return
    try:
        fd = sys.stderr.fileno()
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # no real stderr (captured, embedded)
        import tensorflow  # noqa: F401

        return
    saved = os.dup(fd)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), fd)
        try:
            import tensorflow as tf

            tf.config.list_physical_devices("GPU")  # logs the cuInit line on CPU machines
        finally:
            os.dup2(saved, fd)
            os.close(saved)
            captured.seek(0)
            text = captured.read().decode(errors="replace")
    for line in text.splitlines():
        if not BANNER.match(line):
            print(line, file=sys.stderr)
