"""The server over real loopback sockets: gRPC and REST, clients, concurrency, errors."""

import base64
import io
import threading
from concurrent.futures import ThreadPoolExecutor

import grpc
import numpy as np
import pytest
import requests
import tensorflow as tf
from PIL import Image
from tensorflow_serving.apis import (
    get_model_metadata_pb2,
    get_model_status_pb2,
    model_service_pb2_grpc,
    predict_pb2,
    prediction_service_pb2_grpc,
)

from keras_gan.serving import Client, ModelServer, ServingError, parse_model_config
from keras_gan.serving.conftest import assert_close_uint8, photos, styled

MAX_PIXELS = 128 * 128
MAX_BYTES = 1024 * 1024


@pytest.fixture(scope="module")
def server(exports):
    config = parse_model_config(
        f'model_config_list {{ config {{ name: "styler" base_path: "{exports.base}/styler" '
        f'model_platform: "tensorflow" }} config {{ name: "dcgan" base_path: "{exports.base}/dcgan" }} }}'
    )
    server = ModelServer(
        config,
        port=0,
        rest_api_port=0,
        host="127.0.0.1",
        max_image_pixels=MAX_PIXELS,
        max_request_bytes=MAX_BYTES,
        file_system_poll_wait_seconds=0,
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(server):
    with Client(
        f"127.0.0.1:{server.grpc_port}", rest_address=f"127.0.0.1:{server.rest_port}", retries=0
    ) as client:
        yield client


def _png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def _decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("protocol", ["grpc", "rest"])
def test_client_gets_the_keras_models_images(exports, client, protocol):
    images = photos(2, 30, 22)  # not multiples of the network's 4: padded and cropped back
    assert_close_uint8(
        client.predict("styler", images, protocol=protocol), styled(exports.styler, images)
    )
    single = client.predict("styler", Image.fromarray(images[0]), protocol=protocol)
    assert_close_uint8(single, styled(exports.styler, images[:1])[0])
    png = client.predict_bytes("styler", [_png(images[0]), _png(images[1])], protocol=protocol)
    assert_close_uint8(np.stack([_decode(p) for p in png]), styled(exports.styler, images))


@pytest.mark.parametrize("protocol", ["grpc", "rest"])
def test_noise_model_takes_z(exports, client, protocol):
    latents = exports.dcgan.sampling_inputs(3, seed=4)
    expected = np.clip(np.round((exports.dcgan.generate(3, seed=4) + 1) * 127.5), 0, 255)
    out = client.predict("dcgan", z=latents["z"], protocol=protocol)
    assert_close_uint8(out, expected.astype(np.uint8))


def test_bare_tensorflow_serving_stubs(exports, server):
    """A client written only with tensorflow-serving-api, as a TF-Serving user would."""
    channel = grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}")
    prediction = prediction_service_pb2_grpc.PredictionServiceStub(channel)
    images = photos(1, 16, 16, seed=3)
    request = predict_pb2.PredictRequest()
    request.model_spec.name = "styler"
    request.model_spec.signature_name = "serving_default"
    request.inputs["images"].CopyFrom(tf.make_tensor_proto(images))
    response = prediction.Predict(request, timeout=10)
    assert response.model_spec.version.value == 1
    assert_close_uint8(tf.make_ndarray(response.outputs["images"]), styled(exports.styler, images))

    metadata_request = get_model_metadata_pb2.GetModelMetadataRequest(
        metadata_field=["signature_def"]
    )
    metadata_request.model_spec.name = "styler"
    metadata = prediction.GetModelMetadata(metadata_request, timeout=10)
    signatures = get_model_metadata_pb2.SignatureDefMap()
    metadata.metadata["signature_def"].Unpack(signatures)
    assert set(signatures.signature_def) == {"serving_default", "serving_bytes", "serving_float"}
    assert (
        signatures.signature_def["serving_default"].inputs["images"].dtype
        == tf.uint8.as_datatype_enum
    )

    status_request = get_model_status_pb2.GetModelStatusRequest()
    status_request.model_spec.name = "styler"
    status = model_service_pb2_grpc.ModelServiceStub(channel).GetModelStatus(
        status_request, timeout=10
    )
    (version,) = status.model_version_status
    assert (
        version.version == 1 and version.state == get_model_status_pb2.ModelVersionStatus.AVAILABLE
    )
    channel.close()


def test_rest_b64_rows_columns_status_and_metadata(exports, server):
    url = f"http://127.0.0.1:{server.rest_port}/v1/models/styler"
    images = photos(2, 12, 16, seed=5)
    expected = styled(exports.styler, images)
    rows = [{"b64": base64.b64encode(_png(image)).decode()} for image in images]
    answer = requests.post(
        f"{url}/versions/1:predict", json={"signature_name": "serving_bytes", "instances": rows}
    ).json()
    pngs = [base64.b64decode(item["b64"]) for item in answer["predictions"]]
    assert_close_uint8(np.stack([_decode(p) for p in pngs]), expected)
    columnar = requests.post(f"{url}:predict", json={"inputs": {"images": images.tolist()}}).json()
    assert_close_uint8(np.asarray(columnar["outputs"], dtype=np.uint8), expected)
    status = requests.get(url).json()
    assert status == {
        "model_version_status": [
            {
                "version": "1",
                "state": "AVAILABLE",
                "status": {"error_code": "OK", "error_message": ""},
            }
        ]
    }
    metadata = requests.get(f"{url}/metadata").json()
    assert metadata["model_spec"]["name"] == "styler" and metadata["model_spec"]["version"] == "1"
    inputs = metadata["metadata"]["signature_def"]["signature_def"]["serving_bytes"]["inputs"]
    assert inputs["image_bytes"]["dtype"] == "DT_STRING"


def test_200_requests_from_16_threads_all_correct(exports, client):
    images = photos(8, 16, 16, seed=7)
    expected = styled(exports.styler, images)

    def call(index):
        protocol = "rest" if index % 4 == 0 else "grpc"
        return index, client.predict("styler", images[index % 8], protocol=protocol)

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(call, range(200)))
    assert len(results) == 200
    for index, out in results:
        assert_close_uint8(out, expected[index % 8])


def _bad_grpc_requests(exports):
    good = photos(1, 16, 16)
    big = np.zeros((1, 129, 128, 3), np.uint8)  # 16512 pixels > 128 * 128
    return {
        "wrong input name": ("styler", {"pictures": good}, "serving_default", "INVALID_ARGUMENT", "pictures"),
        "wrong dtype": ("styler", {"images": good.astype(np.float32)}, "serving_default", "INVALID_ARGUMENT", "uint8"),
        "wrong rank": ("styler", {"images": good[0]}, "serving_default", "INVALID_ARGUMENT", "rank 4"),
        "wrong channels": ("styler", {"images": good[..., :2]}, "serving_default", "INVALID_ARGUMENT", "dimension 3"),
        "too many pixels": ("styler", {"images": big}, "serving_default", "INVALID_ARGUMENT", "16384"),
        "corrupt bytes": ("styler", {"image_bytes": np.array([b"\x89PNG not really"], object)}, "serving_bytes", "INVALID_ARGUMENT", "image_bytes[0]"),
        "unknown model": ("nope", {"images": good}, "serving_default", "NOT_FOUND", "nope"),
        "unknown signature": ("styler", {"images": good}, "serving_nope", "INVALID_ARGUMENT", "serving_nope"),
        "too large a message": ("styler", {"images": np.zeros((1, 700, 700, 3), np.uint8)}, "serving_default", "RESOURCE_EXHAUSTED", ""),
    }  # fmt: skip


def test_each_bad_request_gets_its_status_while_good_ones_succeed(exports, client):
    expected = styled(exports.styler, photos(1, 16, 16))
    stop, good_results = threading.Event(), []

    def keep_predicting():
        while not stop.is_set():
            good_results.append(client.predict("styler", photos(1, 16, 16)))

    worker = threading.Thread(target=keep_predicting)
    worker.start()
    try:
        for problem, (model, inputs, signature, code, words) in _bad_grpc_requests(exports).items():
            with pytest.raises(ServingError) as caught:
                client.predict_raw(model, inputs, signature=signature)
            assert caught.value.code == code, problem
            assert words in caught.value.message, (problem, caught.value.message)
        with pytest.raises(ServingError, match="NOT_FOUND.*version 9"):
            client.predict("styler", photos(1), version=9)
        with pytest.raises(ServingError, match="NOT_FOUND.*label"):
            client.predict("styler", photos(1), version_label="stable")
    finally:
        stop.set()
        worker.join()
    assert good_results
    for out in good_results:
        assert_close_uint8(out, expected)


def test_rest_errors_are_json_with_http_status(server):
    url = f"http://127.0.0.1:{server.rest_port}/v1/models"
    cases = [
        (f"{url}/nope:predict", {"instances": [[[[0, 0, 0]]]]}, 404, "nope"),
        (f"{url}/styler/versions/3:predict", {"instances": [[[[0, 0, 0]]]]}, 404, "version 3"),
        (f"{url}/styler:predict", {"instances": [[[[0.5, 0, 0]]]]}, 400, "non-integer"),
        (f"{url}/styler:predict", {"instances": [[[[300, 0, 0]]]]}, 400, "[0, 255]"),
        (f"{url}/styler:predict", {"instances": [[[0, 0, 0]], [[0, 0]]]}, 400, "different lengths"),
        (f"{url}/styler:predict", {"rows": []}, 400, "instances"),
        (f"{url}/styler:predict", {"signature_name": "serving_bytes", "instances": [{"b64": "@@"}]}, 400, "base64"),
    ]  # fmt: skip
    for address, body, status, words in cases:
        answer = requests.post(address, json=body)
        assert answer.status_code == status, (body, answer.text)
        assert words in answer.json()["error"], (body, answer.text)
    answer = requests.post(f"{url}/styler:predict", data=b"{not json")
    assert answer.status_code == 400 and "JSON" in answer.json()["error"]
    answer = requests.post(f"{url}/styler:predict", data=b" " * (MAX_BYTES + 10))
    assert answer.status_code == 413 and "bytes" in answer.json()["error"]
    assert requests.get(f"{url}/nope").status_code == 404
