"""A bounded soak of `keras-gan serve` (loopback only): good, bad and large requests, reloads.

`keras-gan serve` (supervised, with Prometheus on) serves an image-to-image model
`styler` and a tile-safe super-resolution model `upscaler` from a temporary base path.
For `--seconds`, client threads in this process send, concurrently:

- good requests (gRPC and REST, both models), whose answers are checked for shape;
- every bad kind: a PNG decompression bomb, a truncated PNG, deeply nested JSON, a body
  that is not UTF-8, a wrong dtype, an unknown model, oversized JSON; each must get
  INVALID_ARGUMENT / 400 (NOT_FOUND / 404 for the unknown model, 413 for the oversized);
- large requests: a `--large`-pixel-side image to the upscaler (served in tiles) and a
  2000 x 2000 image to the styler (over its budget: refused at once);
- a new version of `styler` dropped into its base path every `--reload-every` seconds.

Prints one JSON report: requests per kind, answers by status code, failures of good
requests (must be 0), unexpected codes, server deaths (must be 0), the server's peak RSS.

    python bench/soak.py --seconds 180 --out bench/out/soak.json
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import requests
from PIL import Image

from keras_gan.serving import Client, ServingError

EXPECTED = {  # kind -> the code it must get
    "bomb_grpc": "INVALID_ARGUMENT",
    "bomb_rest": "INVALID_ARGUMENT",
    "truncated_grpc": "INVALID_ARGUMENT",
    "truncated_rest": "INVALID_ARGUMENT",
    "nested_json": "HTTP_400",
    "not_utf8": "HTTP_400",
    "oversized_json": "HTTP_413",
    "wrong_dtype": "INVALID_ARGUMENT",
    "unknown_model": "NOT_FOUND",
    "large_styler": "INVALID_ARGUMENT",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb(side: int = 16000) -> bytes:
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def truncated_png() -> bytes:
    buffer = io.BytesIO()
    image = np.random.default_rng(0).integers(0, 256, (40, 40, 3), np.uint8)
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()[:-60]


def _image(side: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (1, side, side, 3), np.uint8)


class Soak:
    def __init__(self, base: Path, args):
        self.base = base
        self.args = args
        self.grpc_port, self.rest_port = _free_port(), _free_port()
        self.sent: Counter = Counter()
        self.codes: dict[str, Counter] = defaultdict(Counter)
        self.good_failures: list[str] = []
        self.unexpected: list[str] = []
        self.large_seconds: list[float] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    # The server -----------------------------------------------------------------------

    def start(self) -> None:
        monitoring = self.base / "monitoring.config"
        monitoring.write_text("prometheus_config { enable: true }\n")
        config = self.base / "models.config"
        config.write_text(
            "model_config_list {\n"
            + "".join(
                f'  config {{ name: "{name}" base_path: "{self.base / name}" }}\n'
                for name in ("styler", "upscaler")
            )
            + "}\n"
        )
        command = [
            sys.executable, "-m", "keras_gan.cli.main", "serve",
            f"--port={self.grpc_port}", f"--rest_api_port={self.rest_port}", "--host=127.0.0.1",
            f"--model_config_file={config}", f"--monitoring_config_file={monitoring}",
            "--file_system_poll_wait_seconds=1", "--max_request_bytes=33554432",
            f"--model_memory_budget_mb={self.args.budget_mb}",
        ]  # fmt: skip
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        self.server = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        line = self.server.stdout.readline()
        if "gRPC on" not in line:
            raise RuntimeError(
                f"keras-gan serve did not start: {line!r} {self.server.stderr.read()}"
            )
        self.stderr_lines: list[str] = []
        threading.Thread(target=self._read_stderr, daemon=True).start()
        with Client(f"127.0.0.1:{self.grpc_port}", retries=20) as client:
            client.predict("styler", _image(16))
            client.predict("upscaler", _image(16))

    def _read_stderr(self) -> None:
        for line in self.server.stderr:
            self.stderr_lines.append(line)

    def server_pid(self) -> int | None:
        out = subprocess.run(
            ["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True
        ).stdout.split()
        return int(out[0]) if out else None

    def peak_rss(self) -> int | None:
        pid = self.server_pid()
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except (OSError, TypeError):
            return None
        return None

    # Requests ---------------------------------------------------------------------------

    def _note(self, kind: str, code: str, good: bool, detail: str = "") -> None:
        with self.lock:
            self.sent[kind] += 1
            self.codes[kind][code] += 1
            if good and code != "OK":
                self.good_failures.append(f"{kind}: {code} {detail}"[:300])
            expected = "OK" if good else EXPECTED.get(kind)
            if expected and code != expected:
                self.unexpected.append(f"{kind}: got {code}, expected {expected} {detail}"[:300])

    def _grpc_call(self, kind: str, good: bool, call) -> None:
        try:
            call()
        except ServingError as error:
            self._note(kind, error.code, good, error.message)
        except Exception as error:  # noqa: BLE001 - a client-side failure is a failure too
            self._note(kind, type(error).__name__, good, str(error))
        else:
            self._note(kind, "OK", good)

    def _rest_post(self, kind: str, body: bytes, model: str = "styler") -> None:
        url = f"http://127.0.0.1:{self.rest_port}/v1/models/{model}:predict"
        try:
            answer = requests.post(url, data=body, timeout=60)
            code = "OK" if answer.status_code == 200 else f"HTTP_{answer.status_code}"
        except requests.RequestException as error:
            code = type(error).__name__
        self._note(kind, code, False)

    def good_worker(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        with Client(
            f"127.0.0.1:{self.grpc_port}", rest_address=f"127.0.0.1:{self.rest_port}", retries=0,
            timeout=60,
        ) as client:  # fmt: skip
            while not self.stop.is_set():
                protocol = "grpc" if rng.random() < 0.6 else "rest"
                model = "styler" if rng.random() < 0.7 else "upscaler"
                side = int(rng.choice([16, 32, 48]))

                def call(protocol=protocol, model=model, side=side):
                    expected = side * (self.args.scale if model == "upscaler" else 1)
                    out = client.predict(model, _image(side, seed), protocol=protocol)
                    if out.shape != (1, expected, expected, 3):
                        raise ServingError("DATA_LOSS", f"shape {out.shape}")

                self._grpc_call(f"good_{protocol}_{model}", True, call)

    def bad_worker(self) -> None:
        bomb, truncated = decompression_bomb(), truncated_png()
        nested = b"[" * 5000 + b"]" * 5000
        oversized = b'{"instances": [' + b"0," * (20 * 2**20) + b"0]}"
        with Client(
            f"127.0.0.1:{self.grpc_port}", rest_address=f"127.0.0.1:{self.rest_port}", retries=0
        ) as client:
            kinds = 0
            while not self.stop.is_set():
                kinds += 1
                for protocol in ("grpc", "rest"):
                    for name, payload in (("bomb", bomb), ("truncated", truncated)):
                        self._grpc_call(
                            f"{name}_{protocol}",
                            False,
                            lambda p=payload, pr=protocol: client.predict_bytes(
                                "styler", [p], protocol=pr
                            ),
                        )
                self._rest_post("nested_json", nested)
                self._rest_post("not_utf8", b"\xff\xfe{")
                if kinds % 10 == 1:
                    self._rest_post("oversized_json", oversized)
                self._grpc_call(
                    "wrong_dtype",
                    False,
                    lambda: client.predict_raw(
                        "styler", {"images": np.zeros((1, 8, 8, 3), np.float32)}
                    ),
                )
                self._grpc_call("unknown_model", False, lambda: client.predict("nobody", _image(8)))
                time.sleep(0.05)

    def large_worker(self) -> None:
        with Client(f"127.0.0.1:{self.grpc_port}", retries=0, timeout=600) as client:
            while not self.stop.is_set():
                start = time.perf_counter()
                self._grpc_call(
                    "large_styler", False, lambda: client.predict("styler", _image(2000))
                )
                refused_in = time.perf_counter() - start
                if refused_in > 5:
                    self.unexpected.append(f"large_styler took {refused_in:.1f} s to refuse")
                start = time.perf_counter()
                self._grpc_call(
                    "large_upscaler",
                    True,
                    lambda: client.predict("upscaler", _image(self.args.large)),
                )
                self.large_seconds.append(round(time.perf_counter() - start, 1))

    def reload_worker(self) -> None:
        version = 1
        while not self.stop.wait(self.args.reload_every):
            source = self.base / "styler" / str(version)
            version += 1
            staging = self.base / f".styler-{version}"
            shutil.copytree(source, staging)
            staging.rename(self.base / "styler" / str(version))  # appears complete
            with self.lock:
                self.sent["version_reload"] += 1

    def run(self) -> dict:
        self.start()
        threads = [threading.Thread(target=self.good_worker, args=(s,)) for s in range(4)]
        threads += [threading.Thread(target=self.bad_worker)]
        threads += [threading.Thread(target=self.large_worker)]
        threads += [threading.Thread(target=self.reload_worker)]
        for thread in threads:
            thread.start()
        time.sleep(self.args.seconds)
        self.stop.set()
        for thread in threads:
            thread.join()
        peak = self.peak_rss()
        deaths = [line.strip() for line in self.stderr_lines if "died" in line]
        alive = self.server.poll() is None
        self.server.terminate()
        code = self.server.wait(timeout=120)
        return {
            "benchmark": "soak",
            "seconds": self.args.seconds,
            "requests_per_kind": dict(self.sent),
            "codes_per_kind": {kind: dict(codes) for kind, codes in self.codes.items()},
            "good_requests": sum(v for k, v in self.sent.items() if k.startswith("good_")),
            "good_failures": len(self.good_failures),
            "first_good_failures": self.good_failures[:5],
            "unexpected_codes": len(self.unexpected),
            "first_unexpected": self.unexpected[:5],
            "server_deaths": len(deaths),
            "server_alive_at_end": alive,
            "server_exit_code_on_sigterm": code,
            "server_peak_rss_mb": round(peak / 2**20) if peak else None,
            "large_upscaler_requests": len(self.large_seconds),
            "large_upscaler_max_seconds": max(self.large_seconds, default=None),
            "large_upscaler_side": self.args.large,
        }


def export_models(base: Path, styler: str, upscaler: str, tiny: bool) -> None:
    from keras_gan.export import export_saved_model

    if tiny:
        from keras_gan.models import SRGAN, StyleTransfer
        from keras_gan.testing.tiny_configs import tiny_config

        styler = StyleTransfer(**tiny_config("style_transfer", num_styles=1))
        upscaler = SRGAN(**tiny_config("srgan", scale=2))
    for name, model in (("styler", styler), ("upscaler", upscaler)):
        export_saved_model(model, base / name / "1", parity=False, verbose=False, input_size=32)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--styler", default="style_transfer_starry_night_mobile")
    parser.add_argument("--upscaler", default="srgan_photos_x4")
    parser.add_argument("--tiny", action="store_true", help="tiny untrained models (tests)")
    parser.add_argument("--large", type=int, default=1000, help="side of the large SR request")
    parser.add_argument("--reload-every", type=float, default=20.0)
    parser.add_argument("--budget-mb", type=int, default=4096, help="each model's budget")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    args.scale = 2 if args.tiny else 4
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        export_models(base, args.styler, args.upscaler, args.tiny)
        report = Soak(base, args).run()
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return report


if __name__ == "__main__":
    main()
