"""What a benchmark ran on: every figure names its machine."""

import os
import platform


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
