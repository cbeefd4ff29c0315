"""A supervisor for `keras-gan serve`: the server runs in a child process, restarted if it dies.

TensorFlow runs native code; should a model call ever crash the process (a signal, an
abort), the supervisor reports how it died on stderr and starts a fresh server on the
same flags, so the ports answer again within a model load. SIGTERM and SIGINT are
passed on to the server, which drains its requests in flight and exits; a clean exit
(0) or a refused flag (2) ends the supervisor with the same code. More than
`max_restarts` deaths within `window_seconds` end it too (a crash loop is reported, not
hidden).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import deque

CLEAN_EXIT_CODES = (0, 2)


def describe_exit(code: int) -> str:
    """`'signal SIGSEGV'` for a negative return code, else `'exit status N'`."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def supervise(command: list[str], max_restarts: int = 5, window_seconds: float = 600.0) -> int:
    """Runs `command` (the server) until it exits cleanly or is stopped; returns its code."""
    stopping = False
    child: subprocess.Popen | None = None

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    deaths: deque[float] = deque()
    try:
        while True:
            child = subprocess.Popen(command)
            if stopping:  # stopped while it was starting
                child.terminate()
            code = child.wait()
            if stopping or code in CLEAN_EXIT_CODES:
                return code
            now = time.monotonic()
            deaths.append(now)
            while deaths and now - deaths[0] > window_seconds:
                deaths.popleft()
            if len(deaths) > max_restarts:
                print(
                    f"keras-gan serve: the server process died ({describe_exit(code)}) "
                    f"{len(deaths)} times in {window_seconds:.0f} s; giving up.",
                    file=sys.stderr,
                    flush=True,
                )
                return 1
            print(
                f"keras-gan serve: the server process (pid {child.pid}) died "
                f"({describe_exit(code)}); restarting it (restart {len(deaths)}).",
                file=sys.stderr,
                flush=True,
            )
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
