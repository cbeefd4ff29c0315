"""Requests/s and p50/p99 latency of `keras-gan serve` against the SavedModel in-process.

One model (a preset name or a `.keras` file, `--model`) is exported once with
`export_saved_model` into a temporary folder. A `ModelServer` then serves it from a
background thread of this process, twice: batching off, and batching on
(`--max-batch-size`, `--batch-timeout-micros`, `--num-batch-threads`). For each
protocol (gRPC, REST) and concurrency (`--concurrency`), `--requests` calls of
`serving_default` on one uint8 image of `--size` x `--size` pixels (batch 1; at least
4 per thread) are shared by that many threads, each with its own `Client` (after one
untimed call per thread). The baseline calls the loaded SavedModel's `serving_default`
from the same threads. Each row has requests/s (requests / wall time), p50/p99 latency of the successful
calls, errors and, with batching on, the mean rows per batch the server ran.
`batching_speedup` is requests/s with batching on / off, per protocol and concurrency.
Clients and server share one process (and its GIL), so the server figures include
the clients' cost.

Prints one JSON line per configuration, then the report (and writes it with --out):

    python bench/serving.py --requests 200 --out bench/out/serving.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from machine import machine_info, print_report  # noqa: E402

from keras_gan.export import export_saved_model  # noqa: E402
from keras_gan.serving import BatchingOptions, Client, ModelServer  # noqa: E402

MODEL_NAME = "generator"
PROTOCOLS = ("grpc", "rest")

Call = Callable[[np.ndarray], np.ndarray]
MakeCall = Callable[[], tuple[Call, Callable[[], None]]]


def load_test(
    make_call: MakeCall,
    image: np.ndarray,
    concurrency: int,
    requests: int,
    on_start: Callable[[], None] | None = None,
) -> dict:
    """`requests` calls shared by `concurrency` threads, each with its own `make_call()`."""
    barrier = threading.Barrier(concurrency + 1)
    lock = threading.Lock()
    tickets = iter(range(requests))
    latencies: list[float] = []
    errors: list[str] = []

    def worker() -> None:
        call, close = make_call()
        try:
            try:
                call(image)  # untimed: connects, and the first call of a thread is slower
            except Exception as error:
                errors.append(f"warm-up {type(error).__name__}: {error}")
            finally:
                barrier.wait()
            while True:
                with lock:
                    if next(tickets, None) is None:
                        return
                start = time.perf_counter()
                try:
                    call(image)
                except Exception as error:
                    errors.append(f"{type(error).__name__}: {error}")
                else:
                    latencies.append(time.perf_counter() - start)
        finally:
            close()

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(worker) for _ in range(concurrency)]
        barrier.wait()
        if on_start is not None:
            on_start()
        start = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - start
    milliseconds = np.asarray(latencies) * 1000.0
    row = {
        "concurrency": concurrency,
        "requests": requests,
        "requests_per_s": round(len(latencies) / wall, 2),
        "p50_ms": round(float(np.percentile(milliseconds, 50)), 2) if latencies else None,
        "p99_ms": round(float(np.percentile(milliseconds, 99)), 2) if latencies else None,
        "errors": len(errors),
    }
    if errors:
        row["first_error"] = errors[0][:300]
    return row


def in_process(function) -> MakeCall:
    """Calls of the loaded `serving_default` signature (shared by all threads)."""

    def make() -> tuple[Call, Callable[[], None]]:
        def call(image: np.ndarray) -> np.ndarray:
            return function(images=tf.constant(image))["images"].numpy()

        return call, lambda: None

    return make


def remote(server: ModelServer, protocol: str) -> MakeCall:
    """Calls through a fresh `Client` per thread (no retries: failures count as errors)."""

    def make() -> tuple[Call, Callable[[], None]]:
        client = Client(
            f"127.0.0.1:{server.grpc_port}",
            rest_address=f"127.0.0.1:{server.rest_port}",
            timeout=120.0,
            retries=0,
        )

        def call(image: np.ndarray) -> np.ndarray:
            return client.predict(MODEL_NAME, image, protocol=protocol)

        return call, client.close

    return make


def bench_server(
    base: Path, batching: BatchingOptions | None, image: np.ndarray, expected: np.ndarray, args
) -> list[dict]:
    server = ModelServer(
        model_name=MODEL_NAME,
        model_base_path=base / MODEL_NAME,
        port=0,
        rest_api_port=0,  # the class picks a free port (the CLI's 0 means no REST)
        host="127.0.0.1",
        enable_batching=batching is not None,
        batching_parameters=batching,
        file_system_poll_wait_seconds=0,
    ).start()
    rows = []
    try:
        for protocol in PROTOCOLS:
            call, close = remote(server, protocol)()
            level_error = int(np.abs(call(image).astype(int) - expected.astype(int)).max())
            close()
            for concurrency in args.concurrency:
                mark = {}

                def on_start(mark: dict = mark) -> None:
                    if server.batcher is not None:
                        mark["batches"] = len(server.batcher.batch_sizes)

                row = load_test(
                    remote(server, protocol),
                    image,
                    concurrency,
                    max(args.requests, 4 * concurrency),
                    on_start,
                )
                row = {"target": protocol, "batching": batching is not None, **row}
                if server.batcher is not None:
                    sizes = server.batcher.batch_sizes[mark["batches"] :]
                    row["mean_batch_size"] = round(float(np.mean(sizes)), 2) if sizes else None
                row["max_level_error_vs_in_process"] = level_error
                print(json.dumps(row), flush=True)
                rows.append(row)
    finally:
        server.stop(grace=5.0)
    return rows


def _ratio(on: float, off: float) -> float | None:
    return round(on / off, 3) if off else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="style_transfer_starry_night_mobile")
    parser.add_argument("--size", type=int, default=64, help="image side (batch 1, uint8)")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated thread counts")
    parser.add_argument("--requests", type=int, default=200, help="timed calls per row")
    parser.add_argument("--max-batch-size", type=int, default=8)
    parser.add_argument("--batch-timeout-micros", type=int, default=2000)
    parser.add_argument("--num-batch-threads", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    args.concurrency = [int(value) for value in args.concurrency.split(",")]
    batching = BatchingOptions(
        max_batch_size=args.max_batch_size,
        batch_timeout_micros=args.batch_timeout_micros,
        num_batch_threads=args.num_batch_threads,
        # every waiting request may sit in its own batch: never refuse one here
        max_enqueued_batches=max(10, *args.concurrency),
    )
    image = np.random.default_rng(0).integers(0, 256, (1, args.size, args.size, 3), np.uint8)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        export_saved_model(
            args.model, base / MODEL_NAME / "1", input_size=args.size, parity=False, verbose=False
        )
        function = tf.saved_model.load(str(base / MODEL_NAME / "1")).signatures["serving_default"]
        expected = in_process(function)()[0](image)
        for concurrency in args.concurrency:
            row = load_test(
                in_process(function), image, concurrency, max(args.requests, 4 * concurrency)
            )
            row = {"target": "in_process", "batching": False, **row}
            print(json.dumps(row), flush=True)
            rows.append(row)
        for options in (None, batching):
            rows.extend(bench_server(base, options, image, expected, args))
    speed = {(r["target"], r["batching"], r["concurrency"]): r["requests_per_s"] for r in rows}
    speedup = {
        protocol: {
            str(c): _ratio(speed[protocol, True, c], speed[protocol, False, c])
            for c in args.concurrency
        }
        for protocol in PROTOCOLS
    }
    report = {
        "benchmark": "serving",
        "machine": machine_info(),
        "settings": {
            "model": args.model,
            "image": [1, args.size, args.size, 3],
            "requests": args.requests,
            "concurrency": args.concurrency,
            "batching": dataclasses.asdict(batching),
        },
        "results": rows,
        "batching_speedup": speedup,
    }
    print_report(report, args.out)


if __name__ == "__main__":
    main()
