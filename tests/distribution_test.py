"""Distributed `fit` gives the same training as one device on the same global batch.

Every scenario runs in its own Python process (scripts in `tests/distributed/`):
logical devices and the multi-worker runtime must be set up before TensorFlow
initialises, which a pytest process running many test files cannot guarantee.

Data: the first Fashion-MNIST training images, scaled to [-1, 1] (no fallback).

Tolerance: `atol=1e-5, rtol=1e-4`. Measured differences between one device and
two replicas are at most ~3e-8 (DCGAN) and ~4e-6 (WGAN-GP with SGD, on weights
that moved by ~0.4): float32 rounding from summing the gradients in another
order. 1e-5 is a tenth of one Adam step (learning rate 1e-4 to 2e-4), so a
replica-dependent noise draw, unsynchronised batch norm or a wrong loss scale
shows up as a failure. Both runs are repeated with plain SGD, whose update is
proportional to the loss (Adam's is not), so that the loss scaling over
replicas is checked too.

Under Adam, the weights that `common.gradient_free_weights` lists (a bias
directly before BatchNormalization and that BN's moving mean) are left out of
the comparison: their gradient is zero up to rounding and Adam turns that noise
into updates of the learning rate's size with an arbitrary sign. The SGD run
still compares them.
"""

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

SCRIPTS = Path(__file__).parent / "distributed"
# The scripts' shared module, loaded by path: `tests/distributed` is no package
# and stays off sys.path in this process.
_spec = importlib.util.spec_from_file_location("distributed_common", SCRIPTS / "common.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)

ATOL, RTOL = 1e-5, 1e-4
STEPS = 3
WORKER_TIMEOUT = 240  # seconds, for both multi-worker processes together


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "TF_CONFIG"}
    env.update(TF_CPP_MIN_LOG_LEVEL="1", CUDA_VISIBLE_DEVICES="", **extra)
    return env


def _tail(text: str, lines: int = 40) -> str:
    """The last lines of a log, without TF's start-up INFO chatter."""
    kept = [
        line
        for line in text.strip().splitlines()
        if not re.match(r"I\d{4} |WARNING: All log messages before absl", line)
    ]
    return "\n".join(kept[-lines:])


def _run_script(args, timeout: float) -> None:
    command = [sys.executable, str(SCRIPTS / args[0]), *map(str, args[1:])]
    try:
        result = subprocess.run(
            command, env=_env(), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(
            f"{command} timed out after {timeout} s.\nstderr tail:\n"
            f"{_tail(error.stderr.decode() if isinstance(error.stderr, bytes) else error.stderr or '')}"
        )
    if result.returncode != 0:
        pytest.fail(
            f"{command} exited with {result.returncode}.\n"
            f"stdout tail:\n{_tail(result.stdout, 10)}\nstderr tail:\n{_tail(result.stderr)}"
        )


def _weights(saved, prefix: str) -> dict:
    return {k[len(prefix) + 1 :]: saved[k] for k in saved.files if k.startswith(prefix + "/")}


def _max_diffs(a: dict, b: dict) -> dict:
    assert a.keys() == b.keys(), sorted(set(a) ^ set(b))
    return {k: float(np.max(np.abs(a[k] - b[k]), initial=0.0)) for k in sorted(a)}


def _assert_same_training(init, expected, actual, skip=(), what=""):
    """`actual` equals `expected` within tolerance, and training moved the weights."""
    diffs = _max_diffs(expected, actual)
    table = "\n".join(
        f"  {k}: {d:.3e}" + (" (skipped)" if k in skip else "") for k, d in diffs.items()
    )
    bad = [
        k
        for k in expected
        if k not in skip and not np.allclose(actual[k], expected[k], atol=ATOL, rtol=RTOL)
    ]
    assert not bad, f"{what}: weights differ beyond atol={ATOL}, rtol={RTOL}: {bad}\n{table}"
    for net in ("g", "d"):
        moved = max(
            float(np.max(np.abs(expected[k] - init[k])))
            for k in init
            if k.startswith(net + "/") and k not in skip
        )
        # At least ten times the tolerance (3 steps move Adam weights by ~3e-4 or more).
        assert moved > 10 * ATOL, f"{what}: the {net} weights barely moved ({moved:.2e})"
    print(f"{what}: max |diff| {max(v for k, v in diffs.items() if k not in skip):.3e}")
    return diffs


@pytest.mark.parametrize("family", ["dcgan", pytest.param("wgan_gp", marks=pytest.mark.slow)])
def test_mirrored_fit_matches_one_device(family, tmp_path):
    """Two-replica MirroredStrategy `fit` == one-device `fit`, same init and global batch."""
    out = tmp_path / "weights.npz"
    _run_script(["mirrored_run.py", family, out, STEPS], timeout=300)
    saved = np.load(out)
    init = _weights(saved, "init")
    gradient_free = set(saved["meta/gradient_free"].tolist())
    # DCGAN: ["d/down_1/bias", "d/bn_1/moving_mean"] (the discriminator's second
    # conv has a bias and feeds a BatchNormalization); WGAN-GP: none.
    for optimizer in common.OPTIMIZERS:
        single = _weights(saved, f"{optimizer}/single")
        mirrored = _weights(saved, f"{optimizer}/mirrored")
        assert single.keys() == init.keys()
        _assert_same_training(
            init,
            single,
            mirrored,
            skip=gradient_free if optimizer == "adam" else (),
            what=f"{family}/{optimizer}",
        )


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@pytest.mark.slow
def test_multi_worker_mirrored_fit(tmp_path):
    """Two MultiWorkerMirroredStrategy workers on localhost end with identical weights,
    equal to a one-device run of the same global batches."""
    workers = [f"127.0.0.1:{port}" for port in _free_ports(2)]
    processes, logs = [], []
    for index in range(2):
        tf_config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        command = [
            sys.executable,
            str(SCRIPTS / "multi_worker_run.py"),
            str(tmp_path / f"worker{index}.npz"),
            str(STEPS),
        ] + (["--reference"] if index == 0 else [])
        log = open(tmp_path / f"worker{index}.log", "w")
        logs.append(log)
        processes.append(
            subprocess.Popen(
                command, env=_env(TF_CONFIG=json.dumps(tf_config)), stdout=log, stderr=log
            )
        )

    # Wait for both; stop early when one fails (the other would block in a
    # collective op until the deadline).
    deadline = time.monotonic() + WORKER_TIMEOUT
    try:
        while time.monotonic() < deadline:
            codes = [process.poll() for process in processes]
            if None not in codes or any(code not in (None, 0) for code in codes):
                break
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
    codes = [process.returncode for process in processes]
    if codes != [0, 0]:
        report = "\n".join(
            f"--- worker {i} (exit {code}) log tail:\n"
            f"{_tail((tmp_path / f'worker{i}.log').read_text())}"
            for i, code in enumerate(codes)
        )
        pytest.fail(
            f"the workers did not both succeed within {WORKER_TIMEOUT} s (a killed worker "
            f"shows exit code -9): exit codes {codes}\n{report}"
        )

    saved = [np.load(tmp_path / f"worker{i}.npz") for i in range(2)]
    init = _weights(saved[0], "init")
    assert _max_diffs(init, _weights(saved[1], "init")) == dict.fromkeys(init, 0.0)
    trained = [_weights(s, "trained") for s in saved]
    diffs = _max_diffs(*trained)
    assert all(d == 0.0 for d in diffs.values()), f"the workers' weights differ: {diffs}"
    gradient_free = set(saved[0]["meta/gradient_free"].tolist())
    _assert_same_training(
        init,
        _weights(saved[0], "reference"),
        trained[0],
        skip=gradient_free,
        what="multi-worker dcgan/adam vs one device",
    )
