"""Requests/s and p50/p99 latency of `keras-gan serve` against the SavedModel in-process.

Each model of `--models` (preset names or `.keras` files) is exported once with
`export_saved_model` into a temporary folder. The baseline calls the loaded
SavedModel's `serving_default` from `--concurrency` threads of this process. Then
`keras-gan serve` runs in its own process, twice (batching off, and on with
`--max-batch-size`, `--batch-timeout-micros`, `--num-batch-threads`), and for each
protocol and concurrency a client in a third process (`bench/serving_load.py`, written
from the tensorflow-serving-api protos alone) shares `--requests` calls on one uint8
image of `--size` pixels among that many threads. Each row has requests/s, p50/p99
latency, errors, `ratio_to_in_process` (requests/s over the in-process figure at the
same concurrency), the server's peak RSS and, with batching, the mean rows per batch
(from the server's Prometheus page). Prints one JSON line per row, then the report:

    python bench/serving.py --models style_transfer_starry_night_mobile,srgan_photos_x4 \\
        --out bench/out/serving.json
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np  # noqa: E402
import requests  # noqa: E402
import tensorflow as tf  # noqa: E402
from machine import machine_info, print_report  # noqa: E402

from keras_gan.export import export_saved_model  # noqa: E402

MODEL_NAME = "generator"
PROTOCOLS = ("grpc", "rest")
METRICS_PATH = "/monitoring/prometheus/metrics"
LOAD_SCRIPT = Path(__file__).parent / "serving_load.py"


def in_process(function, image: np.ndarray, concurrency: int, requests_count: int) -> dict:
    """`requests_count` calls of the loaded signature shared by `concurrency` threads."""
    tensor = tf.constant(image)
    function(images=tensor)
    lock, tickets, latencies = threading.Lock(), iter(range(requests_count)), []

    def worker() -> None:
        function(images=tensor)  # untimed: the first call of a thread is slower
        while True:
            with lock:
                if next(tickets, None) is None:
                    return
            start = time.perf_counter()
            function(images=tensor)["images"].numpy()
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    wall = time.perf_counter() - start
    milliseconds = np.asarray(latencies) * 1000.0
    return {
        "target": "in_process",
        "concurrency": concurrency,
        "requests": requests_count,
        "requests_per_s": round(len(latencies) / wall, 2),
        "p50_ms": round(float(np.percentile(milliseconds, 50)), 2),
        "p99_ms": round(float(np.percentile(milliseconds, 99)), 2),
        "errors": 0,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_pid(supervisor: subprocess.Popen) -> int:
    """The pid of the server process that `keras-gan serve`'s supervisor started."""
    try:
        children = Path(f"/proc/{supervisor.pid}/task/{supervisor.pid}/children").read_text()
    except OSError:
        return supervisor.pid
    return int(children.split()[0]) if children.split() else supervisor.pid


def _peak_rss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _batch_totals(rest_port: int) -> tuple[float, float]:
    """(rows, batches) the server's batcher has run, from its Prometheus page."""
    from prometheus_client.parser import text_string_to_metric_families

    url = f"http://127.0.0.1:{rest_port}{METRICS_PATH}"
    response = requests.get(url, timeout=10)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:200]!r}")
    text = response.text
    rows = batches = 0.0
    for family in text_string_to_metric_families(text):
        if family.name == ":tensorflow:serving:batching_session:processed_batch_size":
            for sample in family.samples:
                if sample.name.endswith("_sum"):
                    rows += sample.value
                elif sample.name.endswith("_count"):
                    batches += sample.value
    return rows, batches


def start_server(
    base: Path, batching: bool, args, folder: Path, threads: int | None = None
) -> tuple[subprocess.Popen, int, int]:
    grpc_port, rest_port = _free_port(), _free_port()
    monitoring = folder / "monitoring.config"
    monitoring.write_text(f'prometheus_config {{ enable: true, path: "{METRICS_PATH}" }}\n')
    command = [
        sys.executable, "-m", "keras_gan.cli.main", "serve",
        f"--port={grpc_port}", f"--rest_api_port={rest_port}", "--host=127.0.0.1",
        f"--model_name={MODEL_NAME}", f"--model_base_path={base / MODEL_NAME}",
        "--file_system_poll_wait_seconds=0", f"--monitoring_config_file={monitoring}",
    ]  # fmt: skip
    if threads is not None:
        command.append(f"--num_threads={threads}")
    if batching:
        parameters = folder / "batching.config"
        parameters.write_text(
            f"max_batch_size {{ value: {args.max_batch_size} }}\n"
            f"batch_timeout_micros {{ value: {args.batch_timeout_micros} }}\n"
            f"num_batch_threads {{ value: {args.num_batch_threads} }}\n"
            f"max_enqueued_batches {{ value: {max(10, *args.concurrency)} }}\n"
        )
        command += ["--enable_batching", f"--batching_parameters_file={parameters}"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()  # "keras-gan serve: gRPC on ..." once serving
    if f"gRPC on 127.0.0.1:{grpc_port}, REST on 127.0.0.1:{rest_port}" not in line:
        server.kill()
        raise RuntimeError(f"keras-gan serve did not start on the ports asked: {line!r}")
    return server, grpc_port, rest_port


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM to the supervisor (passed on; the server drains), then wait for both."""
    child = _server_pid(server)
    server.terminate()
    server.wait(timeout=60)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def remote_row(protocol: str, grpc_port: int, rest_port: int, concurrency: int, args) -> dict:
    command = [
        sys.executable, str(LOAD_SCRIPT), f"--protocol={protocol}",
        f"--target=127.0.0.1:{grpc_port}", f"--rest-target=127.0.0.1:{rest_port}",
        f"--model={MODEL_NAME}", f"--size={args.size}", f"--concurrency={concurrency}",
        f"--requests={max(args.requests, 4 * concurrency)}",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench_model(model: str, args) -> list[dict]:
    image = np.random.default_rng(0).integers(0, 256, (1, args.size, args.size, 3), np.uint8)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        export_saved_model(
            model, base / MODEL_NAME / "1", input_size=args.size, parity=False, verbose=False
        )
        function = tf.saved_model.load(str(base / MODEL_NAME / "1")).signatures["serving_default"]
        baseline = {}
        for concurrency in args.concurrency:
            row = in_process(function, image, concurrency, max(args.requests, 4 * concurrency))
            baseline[concurrency] = row["requests_per_s"]
            rows.append({"model": model, "batching": False, **row})
            print(json.dumps(rows[-1]), flush=True)
        del function
        servers = [(False, t) for t in args.server_threads] + [(True, args.server_threads[-1])]
        for batching, threads in servers:
            server, grpc_port, rest_port = start_server(base, batching, args, base, threads)
            try:
                for protocol in PROTOCOLS:
                    for concurrency in args.concurrency:
                        before = _batch_totals(rest_port) if batching else None
                        row = remote_row(protocol, grpc_port, rest_port, concurrency, args)
                        row = {"model": model, "batching": batching, **row}
                        row["server_threads"] = threads or "default"
                        row["ratio_to_in_process"] = round(
                            row["requests_per_s"] / baseline[concurrency], 3
                        )
                        if before is not None:
                            after = _batch_totals(rest_port)
                            batches = after[1] - before[1]
                            row["mean_batch_size"] = (
                                round((after[0] - before[0]) / batches, 2) if batches else None
                            )
                        peak = _peak_rss(_server_pid(server)) or 0
                        row["server_peak_rss_mb"] = round(peak / 2**20)
                        rows.append(row)
                        print(json.dumps(row), flush=True)
            finally:
                stop_server(server)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="style_transfer_starry_night_mobile,srgan_photos_x4")
    parser.add_argument("--size", type=int, default=64, help="image side (batch 1, uint8)")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated thread counts")
    parser.add_argument("--requests", type=int, default=200, help="timed calls per row")
    parser.add_argument("--max-batch-size", type=int, default=8)
    parser.add_argument("--batch-timeout-micros", type=int, default=2000)
    parser.add_argument("--num-batch-threads", type=int, default=2)
    parser.add_argument(
        "--server-threads",
        default="",
        help="comma-separated --num_threads values for the servers without batching "
        "(empty: the server's default); the last one is the batching baseline",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    args.server_threads = [int(v) for v in args.server_threads.split(",") if v] or [None]
    args.concurrency = [int(value) for value in args.concurrency.split(",")]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    rows = []
    for model in args.models.split(","):
        rows.extend(bench_model(model, args))
    baseline_threads = args.server_threads[-1] or "default"
    speed = {
        (r["model"], r["target"], r["batching"], r["concurrency"]): r["requests_per_s"]
        for r in rows
        if r.get("server_threads", baseline_threads) == baseline_threads or r["batching"]
    }
    speedup = {
        model: {
            protocol: {
                str(c): round(speed[model, protocol, True, c] / speed[model, protocol, False, c], 3)
                for c in args.concurrency
            }
            for protocol in PROTOCOLS
        }
        for model in args.models.split(",")
    }
    report = {
        "benchmark": "serving",
        "machine": machine_info(),
        "settings": {
            "models": args.models.split(","),
            "image": [1, args.size, args.size, 3],
            "requests": args.requests,
            "concurrency": args.concurrency,
            "batching": {
                "max_batch_size": args.max_batch_size,
                "batch_timeout_micros": args.batch_timeout_micros,
                "num_batch_threads": args.num_batch_threads,
            },
            "clients": "bench/serving_load.py in its own process; server: keras-gan serve",
        },
        "results": rows,
        "batching_speedup": speedup,
    }
    print_report(report, args.out)


if __name__ == "__main__":
    main()
