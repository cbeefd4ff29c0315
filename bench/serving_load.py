"""A load generator for a TF-Serving endpoint, in its own process, from the protos alone.

It imports only `grpcio`, `tensorflow-serving-api`'s generated modules, NumPy and the
standard library (no keras_gan, no TensorFlow runtime calls), as a production client
would; the REST client imports neither (a REST client needs no TensorFlow package,
whose millions of objects would make the garbage collector stall it). `--concurrency` threads share `--requests` Predict calls on one uint8 image
`[1, SIZE, SIZE, 3]` (the input named `--input`), after one untimed call per thread;
over REST the body is TF-Serving's `{"instances": ...}` JSON. Prints one JSON line:
requests/s, p50/p99 latency (ms), errors by status code, and the first error.

    python bench/serving_load.py --target 127.0.0.1:8500 --model generator --concurrency 32
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def image_proto(image: np.ndarray):
    """A uint8 `TensorProto` (the protos import TensorFlow's package: gRPC clients only)."""
    from tensorflow.core.framework import tensor_pb2, tensor_shape_pb2, types_pb2

    shape = tensor_shape_pb2.TensorShapeProto(
        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=size) for size in image.shape]
    )
    return tensor_pb2.TensorProto(
        dtype=types_pb2.DT_UINT8, tensor_shape=shape, tensor_content=image.tobytes()
    )


def grpc_caller(args, image: np.ndarray):
    import grpc
    from tensorflow_serving.apis import predict_pb2, prediction_service_pb2_grpc

    channel = grpc.insecure_channel(args.target, options=[("grpc.max_receive_message_length", -1)])
    stub = prediction_service_pb2_grpc.PredictionServiceStub(channel)
    request = predict_pb2.PredictRequest()
    request.model_spec.name = args.model
    request.model_spec.signature_name = "serving_default"
    request.inputs[args.input].CopyFrom(image_proto(image))

    def call() -> None:
        try:
            response = stub.Predict(request, timeout=args.timeout)
        except grpc.RpcError as error:
            raise RuntimeError(error.code().name, error.details()) from None
        output = response.outputs[args.output]
        np.frombuffer(output.tensor_content, np.uint8)  # what a client would read

    return call, channel.close


def rest_caller(args, image: np.ndarray):
    host, port = args.rest_target.rsplit(":", 1)
    body = json.dumps({"instances": image.tolist()}).encode()
    path = f"/v1/models/{args.model}:predict"
    connection = http.client.HTTPConnection(host, int(port), timeout=args.timeout)

    def call() -> None:
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP_{response.status}", payload[:200].decode(errors="replace"))
        np.asarray(json.loads(payload)["predictions"], np.uint8)

    return call, connection.close


def load(args) -> dict:
    image = np.random.default_rng(0).integers(0, 256, (1, args.size, args.size, 3), np.uint8)
    make = grpc_caller if args.protocol == "grpc" else rest_caller
    barrier = threading.Barrier(args.concurrency + 1)
    lock = threading.Lock()
    tickets = iter(range(args.requests))
    latencies: list[float] = []
    codes: Counter = Counter()
    first_error: list[str] = []

    def worker() -> None:
        call, close = make(args, image)
        try:
            try:
                call()
            except Exception as error:  # the warm-up call counts as an error too
                codes[str(error.args[0])] += 1
                first_error.append(str(error.args[-1])[:300])
            finally:
                barrier.wait()
            while True:
                with lock:
                    if next(tickets, None) is None:
                        return
                start = time.perf_counter()
                try:
                    call()
                except Exception as error:
                    codes[str(error.args[0])] += 1
                    first_error.append(str(error.args[-1])[:300])
                else:
                    latencies.append(time.perf_counter() - start)
        finally:
            close()

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        futures = [pool.submit(worker) for _ in range(args.concurrency)]
        barrier.wait()
        start = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - start
    milliseconds = np.asarray(latencies) * 1000.0
    row = {
        "target": args.protocol,
        "concurrency": args.concurrency,
        "requests": args.requests,
        "requests_per_s": round(len(latencies) / wall, 2),
        "p50_ms": round(float(np.percentile(milliseconds, 50)), 2) if latencies else None,
        "p99_ms": round(float(np.percentile(milliseconds, 99)), 2) if latencies else None,
        "errors": sum(codes.values()),
    }
    if codes:
        row["errors_by_code"] = dict(codes)
        row["first_error"] = first_error[0]
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protocol", choices=("grpc", "rest"), default="grpc")
    parser.add_argument("--target", default="127.0.0.1:8500", help="gRPC host:port")
    parser.add_argument("--rest-target", default="127.0.0.1:8501", help="REST host:port")
    parser.add_argument("--model", default="generator")
    parser.add_argument("--input", default="images")
    parser.add_argument("--output", default="images")
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--timeout", type=float, default=120.0)
    print(json.dumps(load(parser.parse_args(argv))), flush=True)


if __name__ == "__main__":
    main()
