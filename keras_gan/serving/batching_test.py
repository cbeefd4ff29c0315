"""Batching: concurrent requests run as one batch; a full queue refuses with RESOURCE_EXHAUSTED."""

import asyncio
import threading
import time

import numpy as np
import pytest

from keras_gan.serving import BatchingOptions, Client, ModelServer, ServingError
from keras_gan.serving.batching import Batcher
from keras_gan.serving.conftest import assert_close_uint8, photos, styled


class _Doubler:
    """A stand-in model version: doubles `x`, records each batch, takes `delay` seconds."""

    def __init__(self, delay=0.0):
        self.delay, self.batches = delay, []

    def run(self, signature, inputs):
        time.sleep(self.delay)
        self.batches.append(len(inputs["x"]))
        return {"y": inputs["x"] * 2}


def _rows(n, value):
    return {"x": np.full((n, 2), value, np.float32)}


def test_requests_within_the_timeout_share_a_batch_and_get_their_own_rows():
    async def scenario():
        model = _Doubler()
        batcher = Batcher(BatchingOptions(max_batch_size=6, batch_timeout_micros=50_000))
        sizes = [1, 2, 3, 1, 2]  # 1+2+3 fill a batch of 6; 1+2 close on the timeout
        results = await asyncio.gather(
            *(batcher.run(model, "sig", _rows(n, i), n) for i, n in enumerate(sizes))
        )
        return model, batcher, results

    model, batcher, results = asyncio.run(scenario())
    assert sorted(model.batches) == [3, 6] and batcher.batches_run == 2 and batcher.rows_run == 9
    for i, (n, result) in enumerate(zip([1, 2, 3, 1, 2], results, strict=True)):
        np.testing.assert_array_equal(result["y"], np.full((n, 2), 2 * i, np.float32))


def test_different_shapes_never_share_a_batch_and_padding_uses_allowed_sizes():
    async def scenario():
        model = _Doubler()
        options = BatchingOptions(
            max_batch_size=4, batch_timeout_micros=20_000, allowed_batch_sizes=(2, 4)
        )
        batcher = Batcher(options)
        wide = {"x": np.ones((1, 3), np.float32)}
        results = await asyncio.gather(
            batcher.run(model, "sig", _rows(1, 1), 1), batcher.run(model, "sig", wide, 1)
        )
        return model, results

    model, results = asyncio.run(scenario())
    assert model.batches == [2, 2]  # two batches of one real row, padded to 2
    assert results[0]["y"].shape == (1, 2) and results[1]["y"].shape == (1, 3)


def test_full_queue_and_oversized_requests_are_refused():
    async def scenario():
        model = _Doubler(delay=0.3)
        options = BatchingOptions(max_batch_size=2, max_enqueued_batches=1, num_batch_threads=1)
        batcher = Batcher(options)
        running = asyncio.ensure_future(batcher.run(model, "sig", _rows(2, 1), 2))
        await asyncio.sleep(0.05)  # the first batch runs: the queue is empty again
        waiting = asyncio.ensure_future(batcher.run(model, "sig", _rows(2, 2), 2))
        await asyncio.sleep(0.05)  # the second waits for the only thread
        with pytest.raises(ServingError, match="RESOURCE_EXHAUSTED.*max_enqueued_batches"):
            await batcher.run(model, "sig", _rows(1, 3), 1)
        with pytest.raises(ServingError, match="INVALID_ARGUMENT.*3 rows.*max_batch_size"):
            await batcher.run(model, "sig", _rows(3, 3), 3)
        return await running, await waiting

    first, second = asyncio.run(scenario())
    assert first["y"][0, 0] == 2 and second["y"][0, 0] == 4


def test_server_batches_concurrent_requests(exports, tmp_path):
    params = tmp_path / "batching.config"
    params.write_text("max_batch_size { value: 8 }\nbatch_timeout_micros { value: 200000 }\n")
    server = ModelServer(
        model_name="styler", model_base_path=exports.base / "styler", port=0, rest_api_port=0,
        host="127.0.0.1", enable_batching=True, batching_parameters=str(params),
    ).start()  # fmt: skip
    images = photos(8, 16, 16, seed=9)
    expected = styled(exports.styler, images)
    client = Client(f"127.0.0.1:{server.grpc_port}", rest_address=f"127.0.0.1:{server.rest_port}")
    results = [None] * 8
    barrier = threading.Barrier(8)

    def call(i):
        barrier.wait()
        results[i] = client.predict("styler", images[i : i + 1], protocol=("grpc", "rest")[i % 2])

    threads = [threading.Thread(target=call, args=(i,)) for i in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        client.close()
        server.stop()
    for i in range(8):
        assert_close_uint8(results[i], expected[i : i + 1])
    assert server.batcher.rows_run == 8
    assert server.batcher.batches_run <= 3  # 8 requests within 200 ms: one or two batches
