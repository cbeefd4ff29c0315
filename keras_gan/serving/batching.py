"""Server-side batching (`--enable_batching`), like TF-Serving's shared batch scheduler.

Requests for the same model version and signature whose inputs agree beyond the batch
dimension (dtype and shape) join one open batch. A batch closes when it holds
`max_batch_size` rows or `batch_timeout_micros` after its first request, then waits
for one of `num_batch_threads` runners; its rows are concatenated, run once and split
back per request. At most `max_enqueued_batches` batches may be open or waiting:
beyond that a request is refused with RESOURCE_EXHAUSTED. Everything but the model
call runs on the server's asyncio loop, so no locks are needed.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import time

import numpy as np

from keras_gan.serving.config import BatchingOptions
from keras_gan.serving.errors import ServingError, invalid


@dataclasses.dataclass
class _Batch:
    key: tuple
    loaded: object
    signature: str
    tasks: list = dataclasses.field(default_factory=list)  # (inputs, rows, future)
    rows: int = 0
    timer: asyncio.TimerHandle | None = None


def batch_key(loaded, signature: str, inputs: dict) -> tuple:
    """Requests with equal keys may share a batch."""
    shapes = tuple(
        sorted((name, array.dtype.str, array.shape[1:]) for name, array in inputs.items())
    )
    return (id(loaded), signature, shapes)


def _concat(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays, axis=0)


class Batcher:
    """Combines concurrent requests into batches.

    Args:
        options: the `BatchingOptions` (from `--batching_parameters_file`).
        executor: the thread pool that runs the model calls (`None`: the loop's default).
        metrics: the server's `Metrics` (batch sizes and model call latency), or None.
    """

    def __init__(self, options: BatchingOptions, executor=None, metrics=None):
        self.options = options
        self.executor = executor
        self.metrics = metrics
        self.batches_run = 0
        self.rows_run = 0
        self.batch_sizes: collections.deque = collections.deque(maxlen=10_000)  # recent ones
        self._open: dict[tuple, _Batch] = {}
        self._enqueued = 0
        self._runners: asyncio.Semaphore | None = None

    async def run(self, loaded, signature: str, inputs: dict, rows: int) -> dict:
        """Runs `loaded.run(signature, inputs)` as part of a batch; returns this request's rows."""
        options = self.options
        if rows > options.max_batch_size:
            raise invalid(
                f"The request has {rows} rows; batches hold at most {options.max_batch_size} "
                "(max_batch_size): split the request."
            )
        loop = asyncio.get_running_loop()
        if self._runners is None:
            self._runners = asyncio.Semaphore(options.num_batch_threads)
        key = batch_key(loaded, signature, inputs)
        batch = self._open.get(key)
        if batch is not None and batch.rows + rows > options.max_batch_size:
            self._close(batch)
            batch = None
        if batch is None:
            if self._enqueued >= options.max_enqueued_batches:
                raise ServingError(
                    "RESOURCE_EXHAUSTED",
                    f"The batching queue is full ({options.max_enqueued_batches} batches "
                    "waiting, max_enqueued_batches): retry later.",
                )
            batch = _Batch(key, loaded, signature)
            self._open[key] = batch
            self._enqueued += 1
            batch.timer = loop.call_later(
                options.batch_timeout_micros / 1e6, self._close_if_open, batch
            )
        future = loop.create_future()
        batch.tasks.append((inputs, rows, future))
        batch.rows += rows
        if batch.rows >= options.max_batch_size:
            self._close(batch)
        return await future

    @property
    def enqueued(self) -> int:
        """Batches open or waiting for a runner."""
        return self._enqueued

    def _close_if_open(self, batch: _Batch) -> None:
        if self._open.get(batch.key) is batch:
            self._close(batch)

    def _close(self, batch: _Batch) -> None:
        if self._open.get(batch.key) is batch:
            del self._open[batch.key]
        if batch.timer is not None:
            batch.timer.cancel()
        asyncio.get_running_loop().create_task(self._execute(batch))

    def _padded_size(self, rows: int) -> int:
        for size in self.options.allowed_batch_sizes:
            if size >= rows:
                return size
        return rows

    async def _execute(self, batch: _Batch) -> None:
        async with self._runners:
            self._enqueued -= 1
            names = list(batch.tasks[0][0])
            merged = {name: _concat([task[0][name] for task in batch.tasks]) for name in names}
            size = self._padded_size(batch.rows)
            if size > batch.rows:  # pad with copies of the first row
                merged = {
                    name: np.concatenate([array, np.repeat(array[:1], size - batch.rows, 0)])
                    for name, array in merged.items()
                }
            try:
                loop = asyncio.get_running_loop()
                start = time.perf_counter()
                outputs = await loop.run_in_executor(
                    self.executor, batch.loaded.run, batch.signature, merged
                )
                if self.metrics is not None:
                    loaded = batch.loaded
                    labels = (loaded.name, str(loaded.version), batch.signature)
                    seconds = time.perf_counter() - start
                    self.metrics.runtime_latency.observe(*labels, value=seconds * 1e6)
                    self.metrics.batch_size.observe(loaded.name, value=batch.rows)
            except Exception as error:
                for _, _, future in batch.tasks:
                    if not future.done():
                        future.set_exception(error)
                return
            self.batches_run += 1
            self.rows_run += batch.rows
            self.batch_sizes.append(batch.rows)
            start = 0
            for _, rows, future in batch.tasks:
                if not future.done():
                    future.set_result({k: v[start : start + rows] for k, v in outputs.items()})
                start += rows
