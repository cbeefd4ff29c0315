"""`keras-gan serve`: TF-Serving's flags, and a real process that drains on SIGTERM."""

import os
import re
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from keras_gan.cli.main import build_parser
from keras_gan.cli.serve_command import server_from_args
from keras_gan.serving.conftest import exports  # noqa: F401  (the tiny exported models)


def test_flags_use_tf_serving_names(tmp_path):
    params = tmp_path / "batching.config"
    params.write_text("max_batch_size { value: 4 }")
    args = build_parser().parse_args(
        ["serve", "--port=0", "--rest_api_port=0", "--model_name=gan", f"--model_base_path={tmp_path}",
         "--enable_batching=true", f"--batching_parameters_file={params}",
         "--file_system_poll_wait_seconds=5", "--rest_api_timeout_in_ms=1500"]
    )  # fmt: skip
    server = server_from_args(args)
    assert server.registry.model_names == ["gan"] and server.rest_api_port is None
    assert server.enable_batching and server.batching_options.max_batch_size == 4
    assert server.rest_timeout == 1.5 and server.registry.poll_wait_seconds == 5
    with pytest.raises(ValueError, match="exactly one"):
        server_from_args(build_parser().parse_args(["serve"]))
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--enable_batching=maybe"])


def test_sigterm_drains_a_request_in_flight_and_exits_0(exports, tmp_path):  # noqa: F811
    from keras_gan.serving import Client

    params = tmp_path / "batching.config"
    params.write_text("batch_timeout_micros { value: 1500000 }")  # the request waits 1.5 s
    command = [
        sys.executable, "-m", "keras_gan.cli.main", "serve", "--port=0", "--rest_api_port=0",
        "--host=127.0.0.1", "--model_name=styler", f"--model_base_path={exports.base / 'styler'}",
        "--enable_batching", f"--batching_parameters_file={params}",
    ]  # fmt: skip
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        line = process.stdout.readline()
        assert "gRPC on 127.0.0.1:" in line, line + process.stderr.read()
        port = int(re.search(r"gRPC on 127\.0\.0\.1:(\d+)", line)[1])
        client = Client(f"127.0.0.1:{port}", retries=10)
        image = np.zeros((1, 8, 8, 3), np.uint8)
        client.predict("styler", image)  # waits (retrying UNAVAILABLE) until loaded
        answers = []
        worker = threading.Thread(target=lambda: answers.append(client.predict("styler", image)))
        worker.start()
        time.sleep(0.5)  # the request sits in its batch
        process.send_signal(signal.SIGTERM)
        worker.join()
        assert process.wait(timeout=30) == 0
        assert answers and answers[0].shape == (1, 8, 8, 3)
        assert "stopped" in process.stdout.read()
        client.close()
    finally:
        if process.poll() is None:
            process.kill()


def test_the_supervisor_restarts_a_server_that_crashed(exports, tmp_path):  # noqa: F811
    import socket

    from keras_gan.serving import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [
        sys.executable, "-m", "keras_gan.cli.main", "serve", f"--port={port}",
        "--rest_api_port=0", "--host=127.0.0.1", "--model_name=styler",
        f"--model_base_path={exports.base / 'styler'}",
    ]  # fmt: skip
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert "gRPC on" in process.stdout.readline()
        client = Client(f"127.0.0.1:{port}", retries=12)
        image = np.zeros((1, 8, 8, 3), np.uint8)
        assert client.predict("styler", image).shape == (1, 8, 8, 3)
        server_pids = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(server_pids) == 1
        os.kill(int(server_pids[0]), signal.SIGSEGV)  # what a native crash looks like
        report = process.stderr.readline()
        while "died" not in report:
            report = process.stderr.readline()
        assert "signal SIGSEGV" in report and "restarting" in report
        assert "gRPC on" in process.stdout.readline()  # the new server
        assert client.predict("styler", image).shape == (1, 8, 8, 3)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        client.close()
    finally:
        if process.poll() is None:
            process.kill()
