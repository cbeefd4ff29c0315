"""Prometheus metrics of the server, named as TF-Serving exports them.

TF-Serving turns its monitoring names `/tensorflow/serving/request_count` into Prometheus
names `:tensorflow:serving:request_count`; the same names are used here where TF-Serving
has the metric, and `:keras_gan:serving:*` for the ones it lacks (queue depth, memory).

    :tensorflow:serving:request_count{model_name, version, signature, API, status}
    :tensorflow:serving:request_latency{model_name, version, signature, API}      (histogram, us)
    :tensorflow:serving:runtime_latency{model_name, version, signature}           (histogram, us)
    :tensorflow:serving:batching_session:processed_batch_size{model_name}         (histogram)
    :tensorflow:serving:model_state{model_name, version, state}                   (gauge, 0/1)
    :keras_gan:serving:queue_depth{model_name, queue}                             (gauge)
    :keras_gan:serving:memory_in_use_bytes / memory_budget_bytes{model_name}      (gauge)
    :keras_gan:serving:resident_memory_bytes                                      (gauge)

`Metrics.exposition()` is the text format 0.0.4 that Prometheus scrapes.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable

LATENCY_BUCKETS_US = tuple(
    int(base * 10**power) for power in range(2, 8) for base in (1, 2.5, 5)
) + (100_000_000,)
"""Latency histogram bounds in microseconds (100 us .. 100 s)."""
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


def _labels(names: tuple[str, ...], values: tuple) -> str:
    if not names:
        return ""
    escaped = (
        str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        for value in values
    )
    return "{" + ",".join(f'{n}="{v}"' for n, v in zip(names, escaped, strict=True)) + "}"


def _number(value: float) -> str:
    """A sample value without losing precision (`%g` would round 8388608 to 8.38861e+06)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


class _Metric:
    kind = "untyped"

    def __init__(self, name: str, help_text: str, label_names: tuple[str, ...]):
        self.name = name
        self.help_text = help_text
        self.label_names = label_names
        self._values: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def header(self) -> list[str]:
        return [f"# HELP {self.name} {self.help_text}", f"# TYPE {self.name} {self.kind}"]


class Counter(_Metric):
    kind = "counter"

    def inc(self, *labels, amount: float = 1.0) -> None:
        with self._lock:
            self._values[labels] = self._values.get(labels, 0.0) + amount

    def value(self, *labels) -> float:
        return self._values.get(labels, 0.0)

    def lines(self) -> list[str]:
        with self._lock:
            items = sorted(self._values.items())
        return [f"{self.name}{_labels(self.label_names, k)} {_number(v)}" for k, v in items]


class Gauge(_Metric):
    kind = "gauge"

    def __init__(self, name, help_text, label_names, read: Callable[[], dict] | None = None):
        super().__init__(name, help_text, label_names)
        self.read = read  # a callback giving {labels: value} at scrape time

    def set(self, *labels, value: float) -> None:
        with self._lock:
            self._values[labels] = value

    def lines(self) -> list[str]:
        values = dict(self.read()) if self.read else {}
        with self._lock:
            values.update(self._values)
        return [
            f"{self.name}{_labels(self.label_names, k)} {_number(v)}"
            for k, v in sorted(values.items())
        ]


class Histogram(_Metric):
    kind = "histogram"

    def __init__(self, name, help_text, label_names, buckets: tuple):
        super().__init__(name, help_text, label_names)
        self.buckets = tuple(buckets)

    def observe(self, *labels, value: float) -> None:
        with self._lock:
            counts, total = self._values.get(labels, ([0] * (len(self.buckets) + 1), 0.0))
            counts[bisect.bisect_left(self.buckets, value)] += 1
            self._values[labels] = (counts, total + value)

    def count(self, *labels) -> int:
        counts, _ = self._values.get(labels, ([0], 0.0))
        return sum(counts)

    def lines(self) -> list[str]:
        with self._lock:
            items = sorted((k, (list(c), t)) for k, (c, t) in self._values.items())
        out = []
        names = (*self.label_names, "le")
        for labels, (counts, total) in items:
            running = 0
            for bound, count in zip((*self.buckets, "+Inf"), counts, strict=True):
                running += count
                out.append(f"{self.name}_bucket{_labels(names, (*labels, bound))} {running}")
            out.append(f"{self.name}_sum{_labels(self.label_names, labels)} {_number(total)}")
            out.append(f"{self.name}_count{_labels(self.label_names, labels)} {running}")
        return out


class Metrics:
    """The server's metrics; `gauges` callbacks read live state at scrape time."""

    def __init__(self):
        request = ("model_name", "version", "signature", "API")
        self.request_count = Counter(
            ":tensorflow:serving:request_count",
            "The number of requests, by model, version, signature, API and status.",
            (*request, "status"),
        )
        self.request_latency = Histogram(
            ":tensorflow:serving:request_latency",
            "Time from receiving a request to sending its answer, in microseconds.",
            request,
            LATENCY_BUCKETS_US,
        )
        self.runtime_latency = Histogram(
            ":tensorflow:serving:runtime_latency",
            "Time the model call took (batch or tiles included), in microseconds.",
            ("model_name", "version", "signature"),
            LATENCY_BUCKETS_US,
        )
        self.batch_size = Histogram(
            ":tensorflow:serving:batching_session:processed_batch_size",
            "Rows of the batches the batcher ran.",
            ("model_name",),
            BATCH_BUCKETS,
        )
        self._all: list[_Metric] = [
            self.request_count,
            self.request_latency,
            self.runtime_latency,
            self.batch_size,
        ]

    def add_gauge(self, name: str, help_text: str, labels: tuple, read: Callable[[], dict]):
        gauge = Gauge(name, help_text, labels, read)
        self._all.append(gauge)
        return gauge

    def exposition(self) -> str:
        """The Prometheus text format of every metric."""
        lines = []
        for metric in self._all:
            lines.extend(metric.header())
            lines.extend(metric.lines())
        return "\n".join(lines) + "\n"
