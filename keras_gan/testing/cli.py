"""Runs the `keras-gan` command in a fresh process, as a user's shell would."""

import os
import subprocess
import sys


def run_keras_gan(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """`keras-gan ARGS...` with captured text output and TensorFlow's logs silenced."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [sys.executable, "-m", "keras_gan.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
