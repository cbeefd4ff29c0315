"""`Client`: call a served keras-gan model over TF-Serving's gRPC or REST API.

Works with TensorFlow Serving itself and with `keras-gan serve`. Every call has a
deadline; calls that fail with UNAVAILABLE (server starting, restarting, a version
loading) are retried with exponential backoff; other failures raise `ServingError`
with the server's status code and message.

    with Client("localhost:8500", rest_address="localhost:8501") as client:
        images = client.predict("pix2pix", photos)            # uint8 [N, H, W, C]
        pngs = client.predict_bytes("pix2pix", [png_bytes])   # PNG strings
        samples = client.predict("dcgan", z=np.random.normal(size=(4, 8)).astype("float32"))
"""

from __future__ import annotations

import base64
import time

import numpy as np

from keras_gan.serving.errors import ServingError

DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
_RETRY_BASE_SECONDS = 0.1


def _as_uint8_images(images) -> tuple[np.ndarray, bool]:
    """`(uint8 [N, H, W, C], single)` from arrays, a PIL image or a list of them."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow ships with keras-gan
        Image = None
    if Image is not None and isinstance(images, Image.Image):
        if images.mode not in ("L", "RGB"):
            images = images.convert("RGB")
        array = np.asarray(images)
        return (array[..., None] if array.ndim == 2 else array)[None], True
    if isinstance(images, (list, tuple)):
        arrays = [_as_uint8_images(image)[0] for image in images]
        return np.concatenate(arrays, axis=0), False
    array = np.asarray(images)
    if array.dtype != np.uint8:
        raise ValueError(
            "predict takes uint8 images [N, H, W, C] or [H, W, C] (or PIL images); convert "
            f"floats with np.clip(x * 255, 0, 255).astype('uint8'). Received: dtype={array.dtype}"
        )
    if array.ndim == 2:
        return array[None, :, :, None], True
    if array.ndim == 3:
        return array[None], True
    if array.ndim != 4:
        raise ValueError(
            f"Expected images [N, H, W, C] or [H, W, C]. Received: shape={array.shape}"
        )
    return array, False


class Client:
    """A TF-Serving client for keras-gan's exported signatures.

    Args:
        grpc_address: `host:port` of the gRPC API.
        rest_address: `host:port` (or `http://host:port`) of the REST API, for
            `protocol="rest"`.
        timeout: default deadline of a call in seconds.
        retries: how many times a call failing with UNAVAILABLE is retried.
        max_message_bytes: largest gRPC message sent or received.
    """

    def __init__(
        self,
        grpc_address: str | None = "localhost:8500",
        rest_address: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ):
        if timeout <= 0 or retries < 0:
            raise ValueError(
                f"Expected timeout > 0 and retries >= 0. Received: {timeout=}, {retries=}"
            )
        self.grpc_address = grpc_address
        if rest_address and not rest_address.startswith(("http://", "https://")):
            rest_address = f"http://{rest_address}"
        self.rest_address = rest_address.rstrip("/") if rest_address else None
        self.timeout = timeout
        self.retries = retries
        self.max_message_bytes = max_message_bytes
        self._channel = None
        self._session = None

    # Transport ----------------------------------------------------------------------

    def _stubs(self):
        import grpc
        from tensorflow_serving.apis import model_service_pb2_grpc, prediction_service_pb2_grpc

        if self.grpc_address is None:
            raise ValueError("This client has no grpc_address: use protocol='rest'.")
        if self._channel is None:
            options = [
                ("grpc.max_send_message_length", self.max_message_bytes),
                ("grpc.max_receive_message_length", self.max_message_bytes),
            ]
            self._channel = grpc.insecure_channel(self.grpc_address, options=options)
        return (
            prediction_service_pb2_grpc.PredictionServiceStub(self._channel),
            model_service_pb2_grpc.ModelServiceStub(self._channel),
        )

    def _with_retries(self, call):
        for attempt in range(self.retries + 1):
            try:
                return call()
            except ServingError as error:
                if error.code != "UNAVAILABLE" or attempt == self.retries:
                    raise
            time.sleep(_RETRY_BASE_SECONDS * 2**attempt)

    def _grpc(self, method, request, timeout):
        import grpc

        def call():
            try:
                return method(request, timeout=timeout or self.timeout)
            except grpc.RpcError as error:
                raise ServingError(error.code().name, error.details() or "") from None

        return self._with_retries(call)

    def _rest(self, verb: str, path: str, body: dict | None, timeout):
        import requests

        if self.rest_address is None:
            raise ValueError("This client has no rest_address: pass Client(rest_address=...).")
        if self._session is None:
            self._session = requests.Session()

        def call():
            try:
                response = self._session.request(
                    verb, f"{self.rest_address}{path}", json=body, timeout=timeout or self.timeout
                )
            except requests.ConnectionError as error:
                raise ServingError(
                    "UNAVAILABLE", f"Cannot reach {self.rest_address}: {error}"
                ) from None
            except requests.Timeout:
                raise ServingError(
                    "DEADLINE_EXCEEDED", f"No answer within {timeout or self.timeout} s."
                ) from None
            try:
                payload = response.json()
            except ValueError:
                payload = {"error": response.text}
            if response.status_code != 200:
                raise ServingError.from_http(
                    response.status_code, str(payload.get("error", payload))
                )
            return payload

        return self._with_retries(call)

    @staticmethod
    def _path(model_name: str, version=None, version_label=None) -> str:
        path = f"/v1/models/{model_name}"
        if version is not None:
            path += f"/versions/{int(version)}"
        elif version_label:
            path += f"/labels/{version_label}"
        return path

    # Calls --------------------------------------------------------------------------

    def predict_raw(
        self,
        model_name: str,
        inputs: dict,
        *,
        signature: str = "serving_default",
        version: int | None = None,
        version_label: str | None = None,
        protocol: str = "grpc",
        timeout: float | None = None,
    ) -> dict:
        """Runs `signature` on named NumPy `inputs`; returns every output as NumPy."""
        if protocol == "grpc":
            import tensorflow as tf
            from tensorflow_serving.apis import predict_pb2

            request = predict_pb2.PredictRequest()
            request.model_spec.name = model_name
            request.model_spec.signature_name = signature
            if version is not None:
                request.model_spec.version.value = int(version)
            elif version_label:
                request.model_spec.version_label = version_label
            for key, value in inputs.items():
                request.inputs[key].CopyFrom(tf.make_tensor_proto(value))
            response = self._grpc(self._stubs()[0].Predict, request, timeout)
            return {key: tf.make_ndarray(proto) for key, proto in response.outputs.items()}
        if protocol == "rest":
            columns = {key: _json_column(value) for key, value in inputs.items()}
            body = {"signature_name": signature, "inputs": columns}
            payload = self._rest(
                "POST", self._path(model_name, version, version_label) + ":predict", body, timeout
            )
            outputs = payload["outputs"]
            if not isinstance(outputs, dict) or set(outputs) == {"b64"}:
                outputs = {"images" if signature != "serving_bytes" else "image_bytes": outputs}
            return {key: _from_json(value) for key, value in outputs.items()}
        raise ValueError(f"protocol must be 'grpc' or 'rest'. Received: protocol={protocol!r}")

    def predict(
        self,
        model_name: str,
        images=None,
        *,
        z=None,
        labels=None,
        inputs: dict | None = None,
        version: int | None = None,
        version_label: str | None = None,
        signature: str = "serving_default",
        protocol: str = "grpc",
        timeout: float | None = None,
    ) -> np.ndarray:
        """uint8 `images` out of `serving_default`.

        Args:
            model_name: the served model.
            images: image-to-image input: uint8 [N, H, W, C] / [H, W, C], a PIL image or a
                list of them (a single image gives a single image back).
            z: noise-to-image input: float32 latents [N, D].
            labels: int32 class labels [N] (conditional families).
            inputs: any further named inputs (e.g. `{"style": [0]}`).
            version, version_label: a version (default: the latest).
            signature: the signature to call.
            protocol: `"grpc"` or `"rest"`.
            timeout: this call's deadline in seconds.
        """
        feeds = {key: np.asarray(value) for key, value in (inputs or {}).items()}
        single = False
        if images is not None:
            feeds["images"], single = _as_uint8_images(images)
        if z is not None:
            feeds["z"] = np.asarray(z, dtype=np.float32)
        if labels is not None:
            feeds["labels"] = np.asarray(labels, dtype=np.int32)
        if not feeds:
            raise ValueError("predict needs images (image-to-image) or z (noise-to-image).")
        outputs = self.predict_raw(
            model_name, feeds, signature=signature, version=version,
            version_label=version_label, protocol=protocol, timeout=timeout,
        )  # fmt: skip
        result = outputs["images"] if "images" in outputs else next(iter(outputs.values()))
        result = np.asarray(result)
        if result.dtype != np.uint8 and np.issubdtype(result.dtype, np.integer):
            result = result.astype(np.uint8)
        return result[0] if single else result

    def predict_bytes(
        self,
        model_name: str,
        encoded_images,
        *,
        inputs: dict | None = None,
        version: int | None = None,
        version_label: str | None = None,
        protocol: str = "grpc",
        timeout: float | None = None,
    ) -> list[bytes]:
        """PNG/JPEG strings through `serving_bytes`; returns the PNG strings it answers."""
        if isinstance(encoded_images, (bytes, bytearray)):
            encoded_images = [bytes(encoded_images)]
        feeds = {key: np.asarray(value) for key, value in (inputs or {}).items()}
        feeds["image_bytes"] = np.array(list(encoded_images), dtype=object)
        outputs = self.predict_raw(
            model_name, feeds, signature="serving_bytes", version=version,
            version_label=version_label, protocol=protocol, timeout=timeout,
        )  # fmt: skip
        return [bytes(item) for item in np.asarray(outputs["image_bytes"]).reshape(-1)]

    def metadata(
        self, model_name: str, version: int | None = None, protocol: str = "grpc", timeout=None
    ) -> dict:
        """`{signature: {"inputs": {name: (dtype, shape)}, "outputs": {...}}}` of a version."""
        from tensorflow_serving.apis import get_model_metadata_pb2

        signatures = get_model_metadata_pb2.SignatureDefMap()
        if protocol == "grpc":
            request = get_model_metadata_pb2.GetModelMetadataRequest(
                metadata_field=["signature_def"]
            )
            request.model_spec.name = model_name
            if version is not None:
                request.model_spec.version.value = int(version)
            response = self._grpc(self._stubs()[0].GetModelMetadata, request, timeout)
            response.metadata["signature_def"].Unpack(signatures)
        else:
            from google.protobuf import json_format

            payload = self._rest(
                "GET", self._path(model_name, version) + "/metadata", None, timeout
            )
            json_format.ParseDict(payload["metadata"]["signature_def"], signatures)
        return {name: _describe_signature(d) for name, d in signatures.signature_def.items()}

    def status(
        self, model_name: str, version: int | None = None, protocol: str = "grpc", timeout=None
    ) -> list[dict]:
        """`[{"version", "state", "error_code", "error_message"}]` of the model's versions."""
        from tensorflow_serving.apis import get_model_status_pb2

        response = get_model_status_pb2.GetModelStatusResponse()
        if protocol == "grpc":
            request = get_model_status_pb2.GetModelStatusRequest()
            request.model_spec.name = model_name
            if version is not None:
                request.model_spec.version.value = int(version)
            response = self._grpc(self._stubs()[1].GetModelStatus, request, timeout)
        else:
            from google.protobuf import json_format

            payload = self._rest("GET", self._path(model_name, version), None, timeout)
            json_format.ParseDict(payload, response)
        states = get_model_status_pb2.ModelVersionStatus.State
        return [
            {
                "version": item.version,
                "state": states.Name(item.state),
                "error_code": item.status.error_code,
                "error_message": item.status.error_message,
            }
            for item in response.model_version_status
        ]

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _json_column(value):
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        encode = np.frompyfunc(
            lambda item: {
                "b64": base64.b64encode(
                    item if isinstance(item, bytes) else str(item).encode()
                ).decode()
            },
            1,
            1,
        )
        return encode(array).tolist()
    return array.tolist()


def _from_json(value) -> np.ndarray:
    def decode(item):
        if isinstance(item, dict) and set(item) == {"b64"}:
            return base64.b64decode(item["b64"])
        if isinstance(item, list):
            return [decode(x) for x in item]
        return item

    decoded = decode(value)
    if isinstance(decoded, bytes) or (isinstance(decoded, list) and _has_bytes(decoded)):
        return np.array(decoded, dtype=object)
    return np.asarray(decoded)


def _has_bytes(items) -> bool:
    for item in items:
        if isinstance(item, bytes):
            return True
        if isinstance(item, list) and _has_bytes(item):
            return True
    return False


def _describe_signature(definition) -> dict:
    import tensorflow as tf

    def describe(info):
        shape = None if info.tensor_shape.unknown_rank else [d.size for d in info.tensor_shape.dim]
        return {"dtype": tf.dtypes.as_dtype(info.dtype).name, "shape": shape}

    return {
        "inputs": {key: describe(info) for key, info in definition.inputs.items()},
        "outputs": {key: describe(info) for key, info in definition.outputs.items()},
    }
