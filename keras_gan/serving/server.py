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
from concurrent.futures import ThreadPoolExecutor

from keras_gan.serving.batching import Batcher
from keras_gan.serving.config import (
    BatchingOptions,
    read_batching_parameters,
    read_model_config,
    single_model_config,
)
from keras_gan.serving.errors import ServingError, from_exception, invalid
from keras_gan.serving.model_registry import ModelRegistry
from keras_gan.serving.tensors import DEFAULT_MAX_IMAGE_PIXELS, check_inputs

logger = logging.getLogger("keras_gan.serving")

DEFAULT_SIGNATURE = "serving_default"
DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024


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
        num_threads: threads that run models and encode answers (default: 2 x CPUs, >= 4).
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
        self.registry = ModelRegistry(
            model_config, file_system_poll_wait_seconds, warmup=enable_model_warmup
        )
        self.host = host
        self.port = port
        self.rest_api_port = rest_api_port
        self.enable_batching = enable_batching
        self.rest_timeout = rest_api_timeout_in_ms / 1000.0
        self.max_request_bytes = max_request_bytes
        self.max_image_pixels = max_image_pixels
        self.grace_period_seconds = grace_period_seconds
        self.executor = ThreadPoolExecutor(
            max_workers=num_threads or max(4, 2 * (os.cpu_count() or 1)),
            thread_name_prefix="serving",
        )
        self.batcher = Batcher(self.batching_options, self.executor) if enable_batching else None
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

    async def run(self, loaded, spec, inputs: dict, timeout: float | None) -> dict:
        """Checks `inputs` and runs the signature (batched when enabled) within `timeout`."""
        rows = check_inputs(spec, inputs, self.max_image_pixels)
        if self.batcher is not None:
            work = self.batcher.run(loaded, spec.name, inputs, rows)
        else:
            loop = asyncio.get_running_loop()
            work = loop.run_in_executor(self.executor, loaded.run, spec.name, inputs)
        try:
            return await asyncio.wait_for(work, timeout)
        except TimeoutError:
            raise ServingError(
                "DEADLINE_EXCEEDED", f"The request took over {timeout:.3g} s."
            ) from None
        except ServingError:
            raise
        except Exception as error:
            raise from_exception(error) from None

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
        self.grpc_port = self._grpc.add_insecure_port(f"{self.host}:{self.port}")
        if self.grpc_port == 0:
            raise OSError(f"Cannot listen for gRPC on {self.host}:{self.port}.")
        await self._grpc.start()
        if self.rest_api_port is not None:
            self._rest_runner = web.AppRunner(RestApi(self).app(), access_log=None)
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
