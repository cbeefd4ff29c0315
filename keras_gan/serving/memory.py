"""Memory the models may use: the process's resident set, and a per-model budget.

A served version's working memory per input pixel (image models) or per row (noise
models) is measured once at load time from the rise of the process's peak resident set
(Linux `VmHWM`, reset through `/proc/self/clear_refs`) over one probe call. A request's
need is then estimated before it runs: its input and output buffers plus the working
memory of the largest call it makes (a tile, for tiled super-resolution). `MemoryBudget`
admits requests while their estimates fit in the model's budget; the others wait in a
bounded queue (RESOURCE_EXHAUSTED when it is full), and one that could never fit is
refused at once with INVALID_ARGUMENT naming the budget.
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import os
from pathlib import Path

from keras_gan.serving.errors import ServingError, invalid

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_bytes(field: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def resident_bytes() -> int | None:
    """The process's resident set size (None where /proc is missing)."""
    return _status_bytes("VmRSS")


def peak_resident_bytes() -> int | None:
    """The process's peak resident set size since start or the last `reset_peak()`."""
    return _status_bytes("VmHWM")


def reset_peak() -> bool:
    """Resets the peak resident set to the current one (Linux); False where unsupported."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def release_free_memory() -> None:
    """Returns the C heap's free pages to the system (glibc `malloc_trim`; else nothing)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def measure_peak_rise(call) -> int | None:
    """Bytes the resident set rises above its level before `call()` at its peak."""
    release_free_memory()
    if not reset_peak():
        call()
        return None
    before = resident_bytes()
    call()
    peak = peak_resident_bytes()
    if before is None or peak is None:
        return None
    return max(0, peak - before)


def physical_memory_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 8 * 1024**3


def megabytes(count: int) -> str:
    return f"{count / 2**20:.0f} MB"


class MemoryBudget:
    """Admission control: requests run while their estimated bytes fit in `limit`.

    Args:
        name: the model's name (in error messages).
        limit: the model's budget in bytes.
        max_waiting: requests that may wait for memory; more -> RESOURCE_EXHAUSTED.
    """

    def __init__(self, name: str, limit: int, max_waiting: int = 64):
        if limit < 1 or max_waiting < 0:
            raise ValueError(
                f"Expected limit >= 1 and max_waiting >= 0. Received: {limit=}, {max_waiting=}"
            )
        self.name = name
        self.limit = limit
        self.max_waiting = max_waiting
        self.in_use = 0
        self.peak_in_use = 0
        self._waiting: collections.deque = collections.deque()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def check(self, need: int) -> None:
        """INVALID_ARGUMENT when a request needing `need` bytes could never run."""
        if need > self.limit:
            raise invalid(
                f"The request needs about {megabytes(need)} of memory; model {self.name!r} "
                f"has a budget of {megabytes(self.limit)} (--model_memory_budget_mb): send "
                "smaller images or fewer rows."
            )

    async def acquire(self, need: int) -> None:
        """Waits until `need` bytes fit (first come, first served)."""
        self.check(need)
        if not self._waiting and self.in_use + need <= self.limit:
            self._take(need)
            return
        if len(self._waiting) >= self.max_waiting:
            raise ServingError(
                "RESOURCE_EXHAUSTED",
                f"Model {self.name!r} is at its memory budget ({megabytes(self.limit)}) with "
                f"{len(self._waiting)} requests waiting: retry later.",
            )
        future = asyncio.get_running_loop().create_future()
        entry = (need, future)
        self._waiting.append(entry)
        try:
            await future
        except BaseException:
            if entry in self._waiting:
                self._waiting.remove(entry)
            elif future.done() and not future.cancelled():
                self.release(need)  # granted while being cancelled
            raise

    def _take(self, need: int) -> None:
        self.in_use += need
        self.peak_in_use = max(self.peak_in_use, self.in_use)

    def release(self, need: int) -> None:
        """Gives back `need` bytes and admits the waiting requests that now fit, in order."""
        self.in_use -= need
        while self._waiting and self.in_use + self._waiting[0][0] <= self.limit:
            waiting_need, future = self._waiting.popleft()
            if future.done():
                continue
            self._take(waiting_need)
            future.set_result(None)
