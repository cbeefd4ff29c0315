"""What a benchmark ran on: every figure names its machine."""

import json
import os
import platform
from pathlib import Path


def machine_info() -> dict:
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return {
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "gpus": [
            tf.config.experimental.get_device_details(g).get("device_name", g.name) for g in gpus
        ],
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": __import__("keras").__version__,
        "platform": platform.platform(),
    }


def print_report(report: dict, out: Path | None = None) -> None:
    """Prints a benchmark's JSON report and, with `out`, writes it there too."""
    text = json.dumps(report, indent=2)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
