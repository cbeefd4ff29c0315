"""The server under hostile and oversized requests: status codes, memory budgets, tiles, metrics."""

import io
import struct
import threading
import zlib

import numpy as np
import pytest
import requests
import tensorflow as tf
from PIL import Image
from prometheus_client.parser import text_string_to_metric_families

from keras_gan.serving import Client, ModelServer, ServingError, parse_model_config
from keras_gan.serving.conftest import photos

METRICS_PATH = "/monitoring/prometheus/metrics"
STYLER_BUDGET = 8 * 2**20


@pytest.fixture(scope="module")
def server(exports):
    config = parse_model_config(
        f'model_config_list {{ config {{ name: "styler" base_path: "{exports.base}/styler" }} '
        f'config {{ name: "upscaler" base_path: "{exports.base}/upscaler" }} }}'
    )
    server = ModelServer(
        config,
        port=0,
        rest_api_port=0,
        host="127.0.0.1",
        file_system_poll_wait_seconds=0,
        metrics_path=METRICS_PATH,
        memory_budgets={"styler": STYLER_BUDGET},
        tile=48,
        tile_margin=12,
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(server):
    with Client(
        f"127.0.0.1:{server.grpc_port}", rest_address=f"127.0.0.1:{server.rest_port}", retries=0
    ) as client:
        yield client


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb() -> bytes:
    """A PNG that declares 16000 x 16000 pixels in a few dozen bytes."""
    header = struct.pack(">IIBBBBB", 16000, 16000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def truncated_png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(photos(1, 40, 40)[0]).save(buffer, format="PNG")
    return buffer.getvalue()[:-60]


def test_large_super_resolution_requests_run_in_tiles_equal_to_the_whole_image(
    exports, server, client
):
    images = photos(1, 100, 90, seed=3)  # several 48-pixel tiles
    served = client.predict("upscaler", images)
    signature = tf.saved_model.load(str(exports.base / "upscaler" / "1")).signatures[
        "serving_default"
    ]
    whole = signature(images=tf.constant(images))["images"].numpy()
    assert served.shape == whole.shape == (1, 200, 180, 3)
    assert np.abs(served.astype(int) - whole.astype(int)).max() <= 1
    loaded = server.registry.resolve("upscaler")
    assert loaded.tile_safe and loaded.scale == 2 and loaded.working_bytes_per_pixel
    # the memory a tiled request needs does not grow with the tiles' working memory
    small = loaded.estimate_bytes("serving_default", {"images": images}, 1)
    huge = loaded.estimate_bytes("serving_default", {"images": photos(1, 2000, 2000)}, 1)
    working = loaded.working_bytes_per_pixel * 48 * 48
    assert huge - small < 2000 * 2000 * (3 + 4 * 3 * 4) + working


def test_a_request_over_the_models_budget_is_refused_at_once(server, client):
    assert server.budget("styler").limit == STYLER_BUDGET
    with pytest.raises(ServingError) as error:
        client.predict("styler", photos(1, 600, 600))
    assert error.value.code == "INVALID_ARGUMENT"
    assert "budget of 8 MB" in error.value.message and "styler" in error.value.message
    assert client.predict("styler", photos(1, 32, 32)).shape == (1, 32, 32, 3)
    assert server.budget("styler").in_use == 0


def test_attacks_get_their_status_codes_while_good_requests_keep_working(server, client):
    stop, failures, good = threading.Event(), [], []

    def keep_asking():
        with Client(f"127.0.0.1:{server.grpc_port}", retries=0) as own:
            while not stop.is_set():
                try:
                    good.append(own.predict("styler", photos(1, 24, 24)).shape)
                except Exception as error:  # noqa: BLE001 - any failure of a good request counts
                    failures.append(error)

    worker = threading.Thread(target=keep_asking)
    worker.start()
    try:
        for protocol in ("grpc", "rest"):
            for payload, words in (
                (decompression_bomb(), "too many pixels"),
                (truncated_png(), ""),
            ):
                with pytest.raises(ServingError) as error:
                    client.predict_bytes("styler", [payload], protocol=protocol)
                assert error.value.code == "INVALID_ARGUMENT", (protocol, error.value)
                assert words in error.value.message
        url = f"http://127.0.0.1:{server.rest_port}/v1/models/styler:predict"
        for body in (b"[" * 5000 + b"]" * 5000, b'{"instances": ' + b"[" * 3000, b"\xff\xfe"):
            answer = requests.post(url, data=body, timeout=30)
            assert answer.status_code == 400 and "error" in answer.json(), answer.text
    finally:
        stop.set()
        worker.join()
    assert not failures and len(good) > 0


def test_prometheus_metrics_count_requests_by_status(server, client):
    client.predict("styler", photos(1, 24, 24))
    with pytest.raises(ServingError):
        client.predict("styler", photos(1, 600, 600))  # over the budget
    text = requests.get(f"http://127.0.0.1:{server.rest_port}{METRICS_PATH}", timeout=10).text
    families = {family.name: family for family in text_string_to_metric_families(text)}
    counts = {}
    for sample in families[":tensorflow:serving:request_count"].samples:
        if sample.labels["model_name"] == "styler" and sample.labels["API"] == "predict":
            counts[sample.labels["status"]] = counts.get(sample.labels["status"], 0) + sample.value
    assert counts["OK"] >= 1 and counts["INVALID_ARGUMENT"] >= 1
    states = {
        (s.labels["model_name"], s.labels["state"]): s.value
        for s in families[":tensorflow:serving:model_state"].samples
    }
    assert states["styler", "AVAILABLE"] == 1 and states["upscaler", "AVAILABLE"] == 1
    budgets = {
        s.labels["model_name"]: s.value
        for s in families[":keras_gan:serving:memory_budget_bytes"].samples
    }
    assert budgets["styler"] == STYLER_BUDGET
    runtime = families[":tensorflow:serving:runtime_latency"].samples
    assert any(s.name.endswith("_count") and s.value >= 1 for s in runtime)


def test_a_budget_exported_with_the_model_applies_unless_a_flag_names_the_model(exports, tmp_path):
    from keras_gan.export import export_saved_model

    export_saved_model(
        exports.styler, tmp_path / "styler" / "1", parity=False, warmup=False,
        verbose=False, memory_budget_mb=4,
    )  # fmt: skip
    with pytest.raises(ValueError, match="memory_budget_mb"):
        export_saved_model(exports.styler, tmp_path / "bad" / "1", memory_budget_mb=0)
    assert not (tmp_path / "bad").exists()
    config = parse_model_config(
        f'model_config_list {{ config {{ name: "styler" base_path: "{tmp_path}/styler" }} }}'
    )
    for flags, limit in (({}, 4 * 2**20), ({"styler": STYLER_BUDGET}, STYLER_BUDGET)):
        server = ModelServer(
            config, port=0, rest_api_port=None, host="127.0.0.1",
            file_system_poll_wait_seconds=0, memory_budgets=flags,
        ).start()  # fmt: skip
        try:
            with Client(f"127.0.0.1:{server.grpc_port}", retries=0) as own:
                assert own.predict("styler", photos(1, 32, 32)).shape == (1, 32, 32, 3)
                assert server.budget("styler").limit == limit
                with pytest.raises(ServingError, match=f"budget of {limit // 2**20} MB"):
                    own.predict("styler", photos(1, 600, 600))
        finally:
            server.stop()


def test_the_metrics_path_comes_from_a_monitoring_config_file_at_any_path(exports, tmp_path):
    monitoring = tmp_path / "monitoring.config"  # an absolute path, as a deployment gives
    monitoring.write_text('prometheus_config { enable: true, path: "/metrics/tf" }\n')
    common = dict(model_name="styler", model_base_path=exports.base / "styler", port=0)
    server = ModelServer(**common, rest_api_port=0, monitoring_config=str(monitoring))
    assert server.metrics_path == "/metrics/tf"
    monitoring.write_text("prometheus_config { enable: false }\n")
    assert ModelServer(**common, monitoring_config=monitoring).metrics_path is None
    with pytest.raises(ValueError, match="not both"):
        ModelServer(**common, monitoring_config=monitoring, metrics_path="/m")
    with pytest.raises(ValueError, match="must start with '/'"):
        ModelServer(**common, rest_api_port=0, metrics_path="metrics")
