"""Versions: a new one under load drops nothing; policies, labels, config reloads."""

import os
import shutil
import threading
import time

import grpc
import numpy as np
import pytest
from tensorflow_serving.apis import model_management_pb2, model_service_pb2_grpc

from keras_gan.serving import Client, ModelServer, ServingError, parse_model_config
from keras_gan.serving.conftest import assert_close_uint8, photos, styled


def _wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_new_version_under_load_drops_nothing(exports, tmp_path):
    base = exports.copy_model("styler", tmp_path / "styler")
    images = photos(1, 16, 16, seed=2)
    old, new = styled(exports.styler, images), styled(exports.styler_v2_model, images)
    assert np.abs(old.astype(int) - new.astype(int)).max() > 1  # the versions differ
    server = ModelServer(
        model_name="styler", model_base_path=base, port=0, rest_api_port=None,
        host="127.0.0.1", file_system_poll_wait_seconds=0.1,
    ).start()  # fmt: skip
    client = Client(f"127.0.0.1:{server.grpc_port}", retries=0)
    stop, failures = threading.Event(), []
    answers_by_worker = [[] for _ in range(3)]  # each worker's answers, in the order it sent

    def keep_predicting(answers):
        while not stop.is_set():
            try:
                answers.append(client.predict("styler", images))
            except Exception as error:  # any failure is a dropped request
                failures.append(error)

    def answered():
        return sum(len(answers) for answers in answers_by_worker)

    workers = [threading.Thread(target=keep_predicting, args=(a,)) for a in answers_by_worker]
    try:
        for worker in workers:
            worker.start()
        _wait_for(lambda: answered() >= 5)
        staging = tmp_path / "staging"
        shutil.copytree(exports.styler_v2, staging)
        os.rename(staging, base / "2")  # appears complete, as export_saved_model writes it
        _wait_for(
            lambda: (
                [(s["version"], s["state"]) for s in client.status("styler")] == [(2, "AVAILABLE")]
            )
        )
        counts = [len(answers) for answers in answers_by_worker]
        _wait_for(  # every worker answered twice since: its last request started after the switch
            lambda: all(len(a) >= c + 2 for a, c in zip(answers_by_worker, counts, strict=True))
        )
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        server.stop()
        client.close()
    assert failures == []
    # Requests in flight when version 2 loads may finish on version 1 after another worker's
    # first version-2 answer, so the order only holds per worker: a worker's next request starts
    # after its last answer, and once version 2 answered, version 1 must not answer again.
    for answers in answers_by_worker:
        kinds = [0 if np.abs(a.astype(int) - old.astype(int)).max() <= 1 else 1 for a in answers]
        for answer, kind in zip(answers, kinds, strict=True):
            assert_close_uint8(answer, (old, new)[kind])
        assert kinds == sorted(kinds)
        assert kinds[-1] == 1  # every worker reached the new version
    first_kinds = [
        np.abs(answers[0].astype(int) - old.astype(int)).max() <= 1 for answers in answers_by_worker
    ]
    assert any(first_kinds)  # version 1 served before version 2 appeared


def test_policies_labels_and_reload_config(exports, tmp_path):
    base = exports.copy_model("styler", tmp_path / "styler", version=1)
    shutil.copytree(exports.styler_v2, base / "2")
    config = parse_model_config(
        f'model_config_list {{ config {{ name: "styler" base_path: "{base}" '
        "model_version_policy { all {} } "
        'version_labels { key: "stable" value: 1 } version_labels { key: "canary" value: 2 } } }'
    )
    images = photos(1, 16, 16, seed=3)
    with ModelServer(
        config, port=0, rest_api_port=0, host="127.0.0.1", file_system_poll_wait_seconds=0
    ) as server:
        client = Client(
            f"127.0.0.1:{server.grpc_port}", rest_address=f"127.0.0.1:{server.rest_port}"
        )
        assert [(s["version"], s["state"]) for s in client.status("styler")] == [
            (1, "AVAILABLE"),
            (2, "AVAILABLE"),
        ]
        v1 = styled(exports.styler, images)
        v2 = styled(exports.styler_v2_model, images)
        assert_close_uint8(client.predict("styler", images, version_label="stable"), v1)
        assert_close_uint8(
            client.predict("styler", images, version_label="canary", protocol="rest"), v2
        )
        assert_close_uint8(client.predict("styler", images, version=1, protocol="rest"), v1)
        assert_close_uint8(client.predict("styler", images), v2)  # latest

        # HandleReloadConfigRequest: serve only version 1 under a new name.
        request = model_management_pb2.ReloadConfigRequest()
        new_config = request.config.model_config_list.config.add(
            name="styler_v1", base_path=str(base)
        )
        new_config.model_version_policy.specific.versions.append(1)
        channel = grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}")
        response = model_service_pb2_grpc.ModelServiceStub(channel).HandleReloadConfigRequest(
            request, timeout=60
        )
        channel.close()
        assert response.status.error_code == 0
        assert [s["version"] for s in client.status("styler_v1")] == [1]
        assert_close_uint8(client.predict("styler_v1", images), v1)
        with pytest.raises(ServingError, match="NOT_FOUND.*'styler'"):
            client.predict("styler", images)
        client.close()


def test_failed_version_reports_its_error_and_the_old_one_keeps_serving(exports, tmp_path):
    base = exports.copy_model("styler", tmp_path / "styler")
    server = ModelServer(
        model_name="styler", model_base_path=base, port=0, rest_api_port=None,
        host="127.0.0.1", file_system_poll_wait_seconds=-1,  # polls only when told
    ).start(wait_for_models=False)  # fmt: skip
    client = Client(f"127.0.0.1:{server.grpc_port}")
    try:
        with pytest.raises(ServingError, match="NOT_FOUND"):
            client.predict("styler", photos(1))  # nothing polled yet
        server.registry.poll()
        (base / "2").mkdir()
        (base / "2" / "saved_model.pb").write_bytes(b"not a saved model")
        server.registry.poll()
        states = client.status("styler")
        assert [(s["version"], s["state"]) for s in states] == [(1, "AVAILABLE"), (2, "END")]
        assert "Loading" in states[1]["error_message"] and states[1]["error_code"] == 2
        assert_close_uint8(client.predict("styler", photos(1)), styled(exports.styler, photos(1)))
    finally:
        client.close()
        server.stop()


def test_long_lived_objects_are_frozen_and_dropped_cycles_still_collected():
    import gc
    import weakref

    from keras_gan.serving.model_registry import freeze_long_lived_objects

    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    freeze_long_lived_objects()
    assert gc.get_freeze_count() > 0
    del node
    gc.collect()
    assert alive() is not None  # frozen: a full collection does not walk it
    freeze_long_lived_objects()  # what unloading a version does
    assert alive() is None
    gc.unfreeze()
