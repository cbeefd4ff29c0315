"""Admission control by memory, the peak-RSS probe, and the Prometheus exposition."""

import asyncio

import numpy as np
import pytest
from prometheus_client.parser import text_string_to_metric_families

from keras_gan.serving import ServingError
from keras_gan.serving.memory import MemoryBudget, measure_peak_rise
from keras_gan.serving.metrics import Metrics


def test_budget_admits_in_order_and_refuses_what_never_fits():
    async def scenario():
        budget = MemoryBudget("sr", limit=100, max_waiting=2)
        await budget.acquire(60)
        second = asyncio.ensure_future(budget.acquire(50))  # waits: 60 + 50 > 100
        third = asyncio.ensure_future(budget.acquire(10))  # waits behind it (first come first)
        await asyncio.sleep(0)
        assert not second.done() and not third.done() and budget.waiting == 2
        with pytest.raises(ServingError) as full:
            await budget.acquire(1)
        assert full.value.code == "RESOURCE_EXHAUSTED" and "memory budget" in full.value.message
        with pytest.raises(ServingError) as huge:
            await budget.acquire(101)
        assert huge.value.code == "INVALID_ARGUMENT" and "budget of" in huge.value.message
        budget.release(60)
        await asyncio.wait_for(asyncio.gather(second, third), 1)
        assert budget.in_use == 60 and budget.peak_in_use == 60
        budget.release(50)
        budget.release(10)
        # a waiter whose deadline passes leaves the queue and takes nothing
        await budget.acquire(100)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(budget.acquire(5), 0.05)
        assert budget.waiting == 0
        budget.release(100)
        assert budget.in_use == 0

    asyncio.run(scenario())


def test_peak_rise_sees_a_large_allocation():
    def allocate():
        block = np.ones(64 * 2**20, np.uint8)  # 64 MB touched
        return int(block[::4096].sum())

    rise = measure_peak_rise(allocate)
    assert rise is None or rise >= 48 * 2**20  # None where /proc is not Linux's


def test_exposition_parses_with_the_prometheus_parser():
    metrics = Metrics()
    labels = ("sr", "1", "serving_default", "predict")
    metrics.request_count.inc(*labels, "OK")
    metrics.request_count.inc(*labels, "OK")
    metrics.request_count.inc(*labels, "INVALID_ARGUMENT")
    metrics.request_latency.observe(*labels, value=1500.0)
    metrics.request_latency.observe(*labels, value=7e6)
    metrics.add_gauge(":keras_gan:serving:queue_depth", "q", ("model_name",), lambda: {("sr",): 3})
    families = {f.name: f for f in text_string_to_metric_families(metrics.exposition())}
    counts = {
        s.labels["status"]: s.value
        for s in families[":tensorflow:serving:request_count"].samples
        if s.name.endswith("_total") or s.name == ":tensorflow:serving:request_count"
    }
    assert counts == {"OK": 2.0, "INVALID_ARGUMENT": 1.0}
    latency = {s.name: s for s in families[":tensorflow:serving:request_latency"].samples}
    assert latency[":tensorflow:serving:request_latency_count"].value == 2
    assert latency[":tensorflow:serving:request_latency_sum"].value == 1500.0 + 7e6
    buckets = [
        s for s in families[":tensorflow:serving:request_latency"].samples if s.labels.get("le")
    ]
    below_2500 = next(
        s for s in buckets if s.labels["le"] != "+Inf" and float(s.labels["le"]) == 2500
    )
    assert below_2500.value == 1  # cumulative: only the 1.5 ms request
    assert families[":keras_gan:serving:queue_depth"].samples[0].value == 3
