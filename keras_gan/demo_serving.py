"""The serving half of `keras-gan demo`: export -> `keras-gan serve` -> gRPC/REST queries.

Exports the demo's DCGAN and the shipped `srgan_photos_x4` preset as TF-Serving
SavedModels, starts `keras-gan serve` as a separate process on free ports, waits until
both models are AVAILABLE, queries them over gRPC (and once over REST) with latents and
a real held-out photo, compares the answers with the Keras models, writes the upscaled
photo and stops the server with SIGTERM.
"""

from __future__ import annotations

import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from keras_gan.export import export_saved_model

SR_PRESET = "srgan_photos_x4"
_READY_LINE = re.compile(r"gRPC on [^:]+:(\d+)(?:, REST on [^:]+:(\d+))?")


def _model_config(models: dict[str, Path]) -> str:
    entries = "".join(
        f'  config {{\n    name: "{name}"\n    base_path: "{path.resolve()}"\n'
        '    model_platform: "tensorflow"\n  }\n'
        for name, path in models.items()
    )
    return f"model_config_list {{\n{entries}}}\n"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(config_file: Path, timeout: float = 120.0) -> tuple[subprocess.Popen, int, int]:
    """Starts `keras-gan serve` on free ports; returns the process and its gRPC/REST ports."""
    # gRPC port 0 picks a free port; REST port 0 means "no REST" (as in TF-Serving).
    command = [sys.executable, "-m", "keras_gan.cli.main", "serve", "--port", "0"]
    command += ["--rest_api_port", str(_free_port()), "--model_config_file", str(config_file)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + timeout
    lines = []
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = _READY_LINE.search(line)
        if match and match.group(2):
            return process, int(match.group(1)), int(match.group(2))
    process.kill()
    raise RuntimeError("keras-gan serve did not start:\n" + "".join(lines[-20:]))


def wait_until_available(client, names, timeout: float = 120.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if all(any(v["state"] == "AVAILABLE" for v in client.status(n)) for n in names):
                return
        except Exception:  # noqa: BLE001 - still loading: the server answers UNAVAILABLE
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Models {names} did not become AVAILABLE within {timeout:.0f} s.")


def _held_out_photo() -> np.ndarray:
    """scikit-image's coffee (held out from the SR preset's training), 400 x 600."""
    from skimage import data

    return data.coffee()


def serve_and_query(out: Path, gan, requests: int = 20) -> dict:
    """Exports `gan` and the SR preset, serves them, queries them; returns a summary."""
    from keras_gan.data.super_resolution import bicubic_upscale, downscale
    from keras_gan.metrics import psnr
    from keras_gan.models import load_gan
    from keras_gan.serving import Client

    models = {"dcgan": out / "models" / "dcgan", SR_PRESET: out / "models" / SR_PRESET}
    sr_model = load_gan(SR_PRESET)
    exports = {
        "dcgan": export_saved_model(gan, models["dcgan"] / "1", overwrite=True, verbose=False),
        SR_PRESET: export_saved_model(
            sr_model, models[SR_PRESET] / "1", overwrite=True, input_size=64, verbose=False
        ),
    }
    config = out / "models.config"
    config.write_text(_model_config(models))

    photo = _held_out_photo()
    low = np.asarray(downscale(photo.astype("float32") / 127.5 - 1, sr_model.scale))
    low_u8 = np.round((low + 1) * 127.5).astype(np.uint8)  # 100 x 150
    z = gan.sample_z(8, seed=3)

    process, grpc_port, rest_port = start_server(config)
    try:
        with Client(f"localhost:{grpc_port}", rest_address=f"localhost:{rest_port}") as client:
            wait_until_available(client, list(models))
            latencies = []
            for _ in range(requests):
                start = time.perf_counter()
                served = client.predict(SR_PRESET, low_u8)
                latencies.append((time.perf_counter() - start) * 1000)
            served_rest = client.predict(SR_PRESET, low_u8, protocol="rest")
            samples = client.predict("dcgan", z=z)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    Image.fromarray(served).save(out / "served_srgan_x4.png")
    Image.fromarray(low_u8).save(out / "served_input.png")
    keras_sr = sr_model.upscale(low_u8.astype("float32") / 127.5 - 1)  # what was sent
    keras_u8 = np.clip(np.round((keras_sr + 1) * 127.5), 0, 255).astype(np.uint8)
    keras_samples = np.clip(np.round((gan.generate(8, seed=3) + 1) * 127.5), 0, 255)
    bicubic = np.asarray(bicubic_upscale(low, sr_model.scale))
    return {
        "served_models": list(models),
        "grpc_port": grpc_port,
        "rest_port": rest_port,
        "sr_input": f"held-out photo (scikit-image coffee) at {low_u8.shape[1]}x{low_u8.shape[0]}",
        "sr_output": str(out / "served_srgan_x4.png"),
        "sr_served_vs_keras_max_level_diff": int(np.abs(served.astype(int) - keras_u8).max()),
        "sr_rest_equals_grpc": bool(np.array_equal(served, served_rest)),
        "sr_psnr_served_db": round(psnr(served, photo, True, sr_model.scale), 2),
        "sr_psnr_bicubic_db": round(psnr(bicubic, photo, True, sr_model.scale), 2),
        "sr_grpc_latency_ms_p50": round(statistics.median(latencies), 1),
        "dcgan_served_vs_keras_max_level_diff": int(
            np.abs(samples.astype(int) - keras_samples.astype(int)).max()
        ),
        "export_parity": {
            name: {"passed": r.parity["passed"], "max_abs_error": r.parity["max_abs_error"]}
            for name, r in exports.items()
        },
    }
