"""TF-Serving's REST API on aiohttp.

    GET  /v1/models/NAME[/versions/N|/labels/L]            GetModelStatusResponse as JSON
    GET  /v1/models/NAME[/versions/N|/labels/L]/metadata   {"model_spec", "metadata": {"signature_def"}}
    POST /v1/models/NAME[/versions/N|/labels/L]:predict    {"signature_name", "instances"|"inputs"}

Predict answers `{"predictions": [...]}` for `instances` (row format) and
`{"outputs": ...}` for `inputs` (columnar). Binary strings travel as `{"b64": "..."}`
both ways (outputs whose name ends in `_bytes`). Errors are `{"error": "..."}` with
400, 404, 413, 429, 503 or 504.
"""

from __future__ import annotations

import asyncio
import json
import re
import time

from aiohttp import web
from google.protobuf import json_format

from keras_gan.serving.errors import ServingError, from_exception, invalid, not_found
from keras_gan.serving.grpc_service import metadata_response, status_response
from keras_gan.serving.tensors import (
    decode_json,
    encode_json,
    parse_rest_request,
    rest_response,
)

_PATH = re.compile(
    r"(?P<name>[^/:]+)(?:/versions/(?P<version>\d+)|/labels/(?P<label>[^/:]+))?"
    r"(?P<verb>/metadata|:predict|:classify|:regress)?"
)


def _json(payload: dict, status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(payload, separators=(",", ":")),
        status=status,
        content_type="application/json",
    )


def _error(error: ServingError, status: int | None = None) -> web.Response:
    return _json({"error": error.message}, status or error.http_status)


def _to_dict(message) -> dict:
    return json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def _parse(raw: bytes, server, name, version, label):
    """The body's `(loaded, spec, inputs, row_format)` (in a worker thread: JSON is slow)."""
    body = decode_json(raw)
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    signature = body.get("signature_name") or ""
    if not isinstance(signature, str):
        raise invalid("'signature_name' must be a string.")
    loaded, spec = server.resolve(name, version, label, signature)
    inputs, row_format = parse_rest_request(body, spec)
    return loaded, spec, inputs, row_format


class RestApi:
    """The REST front end of a `ModelServer` (`server.resolve`, `server.run`)."""

    def __init__(self, server):
        self.server = server

    def app(self, metrics_path: str | None = None) -> web.Application:
        """The routes; `metrics_path` adds the Prometheus page (`--monitoring_config_file`)."""
        app = web.Application(client_max_size=self.server.max_request_bytes)
        app.router.add_route("GET", "/v1/models/{tail:.*}", self.get)
        app.router.add_route("POST", "/v1/models/{tail:.*}", self.post)
        if metrics_path is not None:
            app.router.add_route("GET", metrics_path, self.metrics)
        return app

    async def metrics(self, request: web.Request) -> web.Response:
        text = self.server.metrics.exposition()
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    def _route(self, request: web.Request):
        match = _PATH.fullmatch(request.match_info["tail"])
        if match is None:
            raise not_found(f"Malformed request: {request.method} {request.path}")
        version = int(match["version"]) if match["version"] else None
        return match["name"], version, match["label"], match["verb"]

    async def get(self, request: web.Request) -> web.Response:
        try:
            name, version, label, verb = self._route(request)
            if verb == "/metadata":
                response = metadata_response(self.server, name, version, label)
                payload = _to_dict(response)
                payload["model_spec"].setdefault("signature_name", "")
                signatures = response.metadata["signature_def"]
                from tensorflow_serving.apis import get_model_metadata_pb2

                unpacked = get_model_metadata_pb2.SignatureDefMap()
                signatures.Unpack(unpacked)
                payload["metadata"] = {"signature_def": _to_dict(unpacked)}
                return _json(payload)
            if verb is not None:
                raise invalid(f"Use POST for {verb!r}: {request.path}")
            return _json(_to_dict(status_response(self.server, name, version, label)))
        except Exception as exception:
            return _error(from_exception(exception))

    async def post(self, request: web.Request) -> web.Response:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        name = version = signature = None
        try:
            name, version, label, verb = self._route(request)
            if verb in (":classify", ":regress"):
                raise ServingError("UNIMPLEMENTED", f"{verb[1:]} is not served: use :predict.")
            if verb != ":predict":
                raise invalid(f"Malformed request: POST {request.path} (expected ...:predict)")
            try:
                raw = await request.read()
            except web.HTTPRequestEntityTooLarge:
                limit = self.server.max_request_bytes
                error = ServingError("RESOURCE_EXHAUSTED", f"The request exceeds {limit} bytes.")
                self.server.record("predict_rest", name, version, signature, error.code, started)
                return _error(error, 413)
            loaded, spec, inputs, row_format = await loop.run_in_executor(
                self.server.executor, _parse, raw, self.server, name, version, label
            )
            version, signature = loaded.version, spec.name

            def encode(outputs: dict) -> bytes:
                return encode_json(rest_response(outputs, row_format))

            body = await self.server.run(loaded, spec, inputs, self.server.rest_timeout, encode)
            self.server.record("predict_rest", name, version, signature, "OK", started)
            return web.Response(body=body, content_type="application/json")
        except Exception as exception:
            error = from_exception(exception)
        self.server.record("predict_rest", name, version, signature, error.code, started)
        return _error(error)
