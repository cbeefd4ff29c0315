"""`ModelServer`: a TF-Serving-compatible model server (gRPC + REST) for exported SavedModels.

One asyncio loop hosts the `grpc.aio` server (PredictionService, ModelService) and the
aiohttp REST app; TensorFlow runs in a thread pool (it releases the GIL). Models come
from a `ModelServerConfig` (`--model_config_file`) or one `--model_name` /
`--model_base_path`; new versions on disk are picked up without a restart (see
`keras_gan.serving.model_registry`). On `stop()` (SIGTERM/SIGINT in `serve_forever`)
the server stops accepting requests, lets those in flight finish within the grace
period, and returns.

    server = ModelServer(model_name="pix2pix", model_base_path="models/pix2pix",
                         port=0, rest_api_port=0).start()
    client = Client(f"localhost:{server.grpc_port}")
    ...
    server.stop()
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from keras_gan.serving.batching import Batcher
from keras_gan.serving.config import (
    BatchingOptions,
    read_batching_parameters,
    read_model_config,
    read_monitoring_config,
    single_model_config,
)
from keras_gan.serving.errors import ServingError, from_exception, invalid
from keras_gan.serving.memory import (
    MemoryBudget,
    physical_memory_bytes,
    release_free_memory,
    resident_bytes,
)
from keras_gan.serving.metrics import Metrics
from keras_gan.serving.model_registry import ModelRegistry
from keras_gan.serving.tensors import DEFAULT_MAX_IMAGE_PIXELS, check_inputs
from keras_gan.serving.tiles import DEFAULT_MARGIN, DEFAULT_TILE

logger = logging.getLogger("keras_gan.serving")

DEFAULT_SIGNATURE = "serving_default"
DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024
DEFAULT_MEMORY_BUDGET_FRACTION = 0.25
"""Each model's default memory budget: this share of the machine's physical memory."""
RELEASE_AFTER_BYTES = 256 * 1024 * 1024
"""After a request estimated above this, free heap pages go back to the system."""


class ModelServer:
    """Serves SavedModels over TF-Serving's gRPC and REST APIs.

    Args:
        model_config: a `ModelServerConfig`, or the path of a models.config text file.
        model_name: the served name when `model_base_path` is given instead.
        model_base_path: a folder of numeric version folders (BASE/NAME).
        port: gRPC port (0 = pick a free one; see `grpc_port`).
        rest_api_port: REST port (0 = pick a free one; None = no REST API).
        host: the interface to listen on.
        enable_batching: combine concurrent requests into batches.
        batching_parameters: `BatchingOptions`, or a batching parameters file path.
        file_system_poll_wait_seconds: seconds between looks for new versions (0 = once).
        rest_api_timeout_in_ms: the deadline of a REST request.
        max_request_bytes: largest gRPC message / REST body accepted.
        max_image_pixels: largest image (height x width) accepted.
        enable_model_warmup: replay each version's warm-up requests before serving it.
        grace_period_seconds: how long `stop()` waits for requests in flight.
        num_threads: threads that run the models and encode answers: the one bounded
            call path into TensorFlow (default: the CPU count, at least 2).
        monitoring_config: a `MonitoringConfig` text file (`--monitoring_config_file`)
            whose `prometheus_config` turns on the metrics page.
        metrics_path: the metrics page's path (e.g. "/monitoring/prometheus/metrics"),
            in place of a `monitoring_config` file.
        model_memory_budget_bytes: each model's memory budget (default: a quarter of
            the physical memory); `memory_budgets` overrides it per model name.
        max_waiting_requests: requests per model that may wait for memory.
        tile: input side of the tiles super-resolution networks run in.
        tile_margin: context pixels each tile reads past the part it keeps.
    """

    def __init__(
        self,
        model_config=None,
        *,
        model_name: str | None = None,
        model_base_path: str | os.PathLike | None = None,
        port: int = 8500,
        rest_api_port: int | None = 8501,
        host: str = "0.0.0.0",
        enable_batching: bool = False,
        batching_parameters: BatchingOptions | str | os.PathLike | None = None,
        file_system_poll_wait_seconds: float = 1.0,
        rest_api_timeout_in_ms: int = 30000,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
        enable_model_warmup: bool = True,
        grace_period_seconds: float = 10.0,
        num_threads: int | None = None,
        monitoring_config: str | os.PathLike | None = None,
        metrics_path: str | None = None,
        model_memory_budget_bytes: int | None = None,
        memory_budgets: dict[str, int] | None = None,
        max_waiting_requests: int = 64,
        tile: int = DEFAULT_TILE,
        tile_margin: int = DEFAULT_MARGIN,
    ):
        if (model_config is None) == (model_base_path is None):
            raise ValueError(
                "Give either a model config (--model_config_file) or --model_base_path. "
                f"Received: model_config={model_config!r}, model_base_path={model_base_path!r}"
            )
        if model_config is None:
            model_config = single_model_config(model_name or "default", model_base_path)
        elif isinstance(model_config, (str, os.PathLike)):
            model_config = read_model_config(model_config)
        for label, value in (
            ("max_request_bytes", max_request_bytes),
            ("max_image_pixels", max_image_pixels),
        ):
            if value < 1:
                raise ValueError(f"{label} must be >= 1. Received: {label}={value}")
        if isinstance(batching_parameters, (str, os.PathLike)):
            batching_parameters = read_batching_parameters(batching_parameters)
        self.batching_options = batching_parameters or BatchingOptions()
        if tile <= 2 * tile_margin or tile_margin < 0:
            raise ValueError(
                f"Expected tile > 2 * tile_margin >= 0. Received: {tile=}, {tile_margin=}"
            )
        self.registry = ModelRegistry(
            model_config,
            file_system_poll_wait_seconds,
            warmup=enable_model_warmup,
            tile=tile,
            tile_margin=tile_margin,
        )
        default_budget = model_memory_budget_bytes or int(
            DEFAULT_MEMORY_BUDGET_FRACTION * physical_memory_bytes()
        )
        memory_budgets = dict(memory_budgets or {})
        unknown = sorted(set(memory_budgets) - set(self.registry.model_names))
        if unknown:
            raise ValueError(
                f"Memory budgets name models that are not served: {unknown}. "
                f"Served: {self.registry.model_names}."
            )
        self.budgets = {
            name: MemoryBudget(name, memory_budgets.get(name, default_budget), max_waiting_requests)
            for name in self.registry.model_names
        }
        self.default_budget = default_budget
        self._flag_budgets = set(memory_budgets)  # NAME=MB flags: the export cannot override
        self.max_waiting_requests = max_waiting_requests
        if monitoring_config is not None and metrics_path is not None:
            raise ValueError("Give a monitoring_config file or a metrics_path, not both.")
        if monitoring_config is not None:
            metrics_path = read_monitoring_config(monitoring_config)
        if metrics_path is not None and not metrics_path.startswith("/"):
            raise ValueError(f"metrics_path must start with '/'. Received: {metrics_path!r}")
        self.metrics_path: str | None = metrics_path
        if self.metrics_path is not None and rest_api_port is None:
            raise ValueError(
                "Prometheus metrics are served on the REST port: give --rest_api_port "
                "with --monitoring_config_file."
            )
        self.metrics = Metrics()
        self._add_gauges()
        self.host = host
        self.port = port
        self.rest_api_port = rest_api_port
        self.enable_batching = enable_batching
        self.rest_timeout = rest_api_timeout_in_ms / 1000.0
        self.max_request_bytes = max_request_bytes
        self.max_image_pixels = max_image_pixels
        self.grace_period_seconds = grace_period_seconds
        self.num_threads = num_threads or max(2, os.cpu_count() or 1)
        if self.num_threads < 1:
            raise ValueError(f"num_threads must be >= 1. Received: {num_threads}")
        self.executor = ThreadPoolExecutor(
            max_workers=self.num_threads, thread_name_prefix="serving"
        )
        self.batcher = (
            Batcher(self.batching_options, self.executor, self.metrics) if enable_batching else None
        )
        self.grpc_port: int | None = None
        self.rest_port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._grpc = None
        self._rest_runner = None
        self._stopped: asyncio.Event | None = None

    # The request path shared by gRPC and REST ------------------------------------------

    def resolve(self, name: str, version: int | None, label: str | None, signature: str):
        """`(LoadedVersion, SignatureSpec)` of a request (NOT_FOUND / INVALID_ARGUMENT)."""
        loaded = self.registry.resolve(name, version, label)
        signature = signature or DEFAULT_SIGNATURE
        spec = loaded.specs.get(signature)
        if spec is None:
            raise invalid(
                f"Model {name!r} version {loaded.version} has no signature {signature!r}. "
                f"Signatures: {sorted(loaded.specs)}."
            )
        return loaded, spec

    def budget(self, name: str, loaded=None) -> MemoryBudget:
        """The memory budget of model `name`.

        Its limit is the `--model_memory_budget_mb NAME=MB` flag when given, else the
        `memory_budget_mb` that `loaded` (the version serving the request) was exported
        with (`keras-gan export savedmodel --memory-budget-mb`), else the default.
        """
        budget = self.budgets.get(name)
        if budget is None:  # a model added by HandleReloadConfigRequest
            budget = self.budgets[name] = MemoryBudget(
                name, self.default_budget, self.max_waiting_requests
            )
        if loaded is not None and name not in self._flag_budgets:
            budget.limit = loaded.memory_budget_bytes or self.default_budget
        return budget

    async def run(
        self,
        loaded,
        spec,
        inputs: dict,
        timeout: float | None,
        encode: Callable[[dict], object] | None = None,
    ):
        """Checks `inputs`, admits them within the model's memory budget and runs the signature.

        The model call and `encode` (the answer's proto or JSON) run together in one of
        the server's `num_threads` threads (batched when enabled). Returns the encoded
        answer, or the outputs when `encode` is None.
        """
        rows = check_inputs(spec, inputs, self.max_image_pixels)
        need = loaded.estimate_bytes(spec.name, inputs, rows)
        budget = self.budget(loaded.name, loaded)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            await asyncio.wait_for(budget.acquire(need), timeout)
        except TimeoutError:
            raise ServingError(
                "DEADLINE_EXCEEDED",
                f"The request waited {timeout:.3g} s for memory (model {loaded.name!r}).",
            ) from None
        try:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            return await asyncio.wait_for(self._call(loaded, spec, inputs, rows, encode), remaining)
        except TimeoutError:
            raise ServingError(
                "DEADLINE_EXCEEDED", f"The request took over {timeout:.3g} s."
            ) from None
        except ServingError:
            raise
        except Exception as error:
            raise from_exception(error) from None
        finally:
            budget.release(need)
            if need > RELEASE_AFTER_BYTES:
                release_free_memory()

    async def _call(self, loaded, spec, inputs: dict, rows: int, encode):
        loop = asyncio.get_running_loop()
        labels = (loaded.name, str(loaded.version), spec.name)
        if self.batcher is not None:
            outputs = await self.batcher.run(loaded, spec.name, inputs, rows)
            if encode is None:
                return outputs
            return await loop.run_in_executor(self.executor, encode, outputs)

        def call():
            start = time.perf_counter()
            outputs = loaded.run(spec.name, inputs)
            self.metrics.runtime_latency.observe(*labels, value=(time.perf_counter() - start) * 1e6)
            return outputs if encode is None else encode(outputs)

        return await loop.run_in_executor(self.executor, call)

    def record(self, api: str, name, version, signature, status: str, started: float) -> None:
        """Counts one answered request and its latency (the metrics page)."""
        labels = (name or "", "" if version is None else str(version), signature or "", api)
        self.metrics.request_count.inc(*labels, status)
        self.metrics.request_latency.observe(*labels, value=(time.perf_counter() - started) * 1e6)

    def _add_gauges(self) -> None:
        states = ("START", "LOADING", "AVAILABLE", "UNLOADING", "END")

        def model_states():
            values = {}
            for name in self.registry.model_names:
                try:
                    versions = self.registry.status(name)
                except ServingError:
                    continue
                for state in versions:
                    for label in states:
                        values[name, str(state.version), label] = float(state.state == label)
            return values

        def queues():
            values = {(n, "memory"): float(b.waiting) for n, b in self.budgets.items()}
            if self.batcher is not None:
                values["", "batching"] = float(self.batcher.enqueued)
            return values

        self.metrics.add_gauge(
            ":tensorflow:serving:model_state",
            "1 for the state each model version is in (TF-Serving's ModelVersionStatus).",
            ("model_name", "version", "state"),
            model_states,
        )
        self.metrics.add_gauge(
            ":keras_gan:serving:queue_depth",
            "Requests waiting for memory (per model) and batches waiting to run.",
            ("model_name", "queue"),
            queues,
        )
        self.metrics.add_gauge(
            ":keras_gan:serving:memory_in_use_bytes",
            "Estimated bytes of the requests each model is running.",
            ("model_name",),
            lambda: {(n,): float(b.in_use) for n, b in self.budgets.items()},
        )
        self.metrics.add_gauge(
            ":keras_gan:serving:memory_budget_bytes",
            "Each model's memory budget.",
            ("model_name",),
            lambda: {(n,): float(b.limit) for n, b in self.budgets.items()},
        )
        self.metrics.add_gauge(
            ":keras_gan:serving:resident_memory_bytes",
            "The server process's resident set size.",
            (),
            lambda: {(): float(resident_bytes() or 0)},
        )

    # Lifecycle ------------------------------------------------------------------------

    async def start_async(self) -> None:
        """Opens the ports and starts polling the models (on the running loop)."""
        import grpc
        from aiohttp import web

        from keras_gan.serving.grpc_service import add_services
        from keras_gan.serving.rest import RestApi

        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        options = [
            ("grpc.max_receive_message_length", self.max_request_bytes),
            ("grpc.max_send_message_length", -1),
            ("grpc.so_reuseport", 0),
        ]
        self._grpc = grpc.aio.server(options=options)
        add_services(self._grpc, self)
        try:
            self.grpc_port = self._grpc.add_insecure_port(f"{self.host}:{self.port}")
        except RuntimeError:
            self.grpc_port = 0
        if self.grpc_port == 0:
            raise OSError(
                f"Cannot listen for gRPC on {self.host}:{self.port}: the port is in use or "
                "the address is not this machine's (--port)."
            )
        await self._grpc.start()
        if self.rest_api_port is not None:
            self._rest_runner = web.AppRunner(RestApi(self).app(self.metrics_path), access_log=None)
            await self._rest_runner.setup()
            site = web.TCPSite(
                self._rest_runner,
                self.host,
                self.rest_api_port,
                shutdown_timeout=self.grace_period_seconds,
            )
            await site.start()
            self.rest_port = self._rest_runner.addresses[0][1]
        self.registry.start()
        logger.info("Serving gRPC on port %s, REST on port %s", self.grpc_port, self.rest_port)

    async def stop_async(self, grace: float | None = None) -> None:
        """Stops accepting requests, waits up to `grace` seconds for those in flight."""
        grace = self.grace_period_seconds if grace is None else grace
        work = []
        if self._grpc is not None:
            work.append(self._grpc.stop(grace))
        if self._rest_runner is not None:
            work.append(self._rest_runner.cleanup())
        await asyncio.gather(*work)
        self._grpc = self._rest_runner = None
        self.registry.stop()
        if self._stopped is not None:
            self._stopped.set()

    def start(self, wait_for_models: bool = True, timeout: float = 120.0) -> ModelServer:
        """Serves from a background thread; returns once the ports are bound (and models load)."""
        if self._thread is not None:
            raise RuntimeError("This ModelServer is already started.")
        started = threading.Event()
        failure = []

        def serve():
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start_async())
            except BaseException as error:
                failure.append(error)
                started.set()
                return
            started.set()
            loop.run_until_complete(self._stopped.wait())
            loop.close()

        self._thread = threading.Thread(target=serve, name="model-server", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            raise failure[0]
        if wait_for_models:
            self.registry.wait_until_available(timeout)
        return self

    def stop(self, grace: float | None = None) -> None:
        """Stops a server `start()`ed in the background (drains requests in flight)."""
        if self._loop is None or self._thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self.stop_async(grace), self._loop)
        future.result()
        self._thread.join()
        self._thread = None
        self.executor.shutdown(wait=False)

    def serve_forever(self) -> int:
        """Serves in this thread until SIGTERM or SIGINT, then drains and returns 0."""

        async def main():
            await self.start_async()
            loop = asyncio.get_running_loop()
            stopping = asyncio.Event()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stopping.set)
            print(
                f"keras-gan serve: gRPC on {self.host}:{self.grpc_port}"
                + (f", REST on {self.host}:{self.rest_port}" if self.rest_port else "")
                + f"; models: {', '.join(self.registry.model_names)}",
                flush=True,
            )
            await stopping.wait()
            print("keras-gan serve: draining requests in flight...", flush=True)
            await self.stop_async()

        asyncio.run(main())
        self.executor.shutdown(wait=True)
        print("keras-gan serve: stopped.", flush=True)
        return 0

    def __enter__(self) -> ModelServer:
        return self.start() if self._thread is None else self

    def __exit__(self, *exc_info) -> None:
        self.stop()
