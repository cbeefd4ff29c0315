"""TF-Serving's gRPC services on `grpc.aio`: PredictionService and ModelService.

`Predict` and `GetModelMetadata` (PredictionService), `GetModelStatus` and
`HandleReloadConfigRequest` (ModelService). Classify, Regress and MultiInference
answer UNIMPLEMENTED: GAN generators have no tf.Example signatures.
"""

from __future__ import annotations

import asyncio
import time

import grpc
from tensorflow_serving.apis import (
    get_model_metadata_pb2,
    get_model_status_pb2,
    model_management_pb2,
    model_service_pb2_grpc,
    predict_pb2,
    prediction_service_pb2_grpc,
)

from keras_gan.serving.errors import ServingError, from_exception, invalid
from keras_gan.serving.tensors import from_tensor_proto, to_tensor_proto

_STATES = get_model_status_pb2.ModelVersionStatus.State


def _spec_fields(model_spec) -> tuple[str, int | None, str | None, str]:
    if not model_spec.name:
        raise invalid("The request's model_spec needs a model name.")
    version = model_spec.version.value if model_spec.HasField("version") else None
    return model_spec.name, version, model_spec.version_label or None, model_spec.signature_name


def status_response(server, name: str, version=None, label=None):
    """The `GetModelStatusResponse` of a model (also the REST status answer)."""
    response = get_model_status_pb2.GetModelStatusResponse()
    for state in server.registry.status(name, version, label):
        item = response.model_version_status.add(
            version=state.version, state=_STATES.Value(state.state)
        )
        item.status.SetInParent()  # error_code OK, shown in REST JSON as TF-Serving does
        if state.error:
            item.status.error_code = 2  # tensorflow.error.Code.UNKNOWN
            item.status.error_message = state.error
    return response


def metadata_response(server, name: str, version=None, label=None, fields=("signature_def",)):
    """The `GetModelMetadataResponse` (signature_def) of the version asked for."""
    if not fields:
        raise invalid("GetModelMetadataRequest needs metadata_field: ['signature_def'].")
    for field in fields:
        if field != "signature_def":
            raise invalid(f"Metadata field {field!r} is not supported; use 'signature_def'.")
    loaded = server.registry.resolve(name, version, label)
    signatures = get_model_metadata_pb2.SignatureDefMap()
    for key, definition in loaded.signature_defs.items():
        signatures.signature_def[key].CopyFrom(definition)
    response = get_model_metadata_pb2.GetModelMetadataResponse()
    response.model_spec.name = name
    response.model_spec.version.value = loaded.version
    response.metadata["signature_def"].Pack(signatures)
    return response


class PredictionService(prediction_service_pb2_grpc.PredictionServiceServicer):
    def __init__(self, server):
        self.server = server

    async def Predict(self, request, context):
        started = time.perf_counter()
        name = version = signature = None
        try:
            name, version, label, signature = _spec_fields(request.model_spec)
            loaded, spec = self.server.resolve(name, version, label, signature)
            version, signature = loaded.version, spec.name
            inputs = {key: from_tensor_proto(key, proto) for key, proto in request.inputs.items()}
            wanted = list(request.output_filter)
            unknown = sorted(set(wanted) - set(spec.outputs))
            if unknown:
                raise invalid(
                    f"output_filter names unknown outputs {unknown}; "
                    f"outputs: {sorted(spec.outputs)}."
                )

            def encode(outputs: dict):  # runs in the model's thread, after the call
                response = predict_pb2.PredictResponse()
                response.model_spec.name = name
                response.model_spec.version.value = loaded.version
                response.model_spec.signature_name = spec.name
                for key in wanted or outputs:
                    response.outputs[key].CopyFrom(to_tensor_proto(outputs[key]))
                return response

            response = await self.server.run(loaded, spec, inputs, context.time_remaining(), encode)
            self.server.record("predict", name, version, signature, "OK", started)
            return response
        except Exception as exception:  # every failure becomes a status, never a crash
            error = from_exception(exception)
        self.server.record("predict", name, version, signature, error.code, started)
        await context.abort(error.grpc_code, error.message)

    async def GetModelMetadata(self, request, context):
        try:
            name, version, label, _ = _spec_fields(request.model_spec)
            return metadata_response(
                self.server, name, version, label, list(request.metadata_field)
            )
        except Exception as exception:
            error = from_exception(exception)
        await context.abort(error.grpc_code, error.message)

    async def _unimplemented(self, request, context):
        await context.abort(
            grpc.StatusCode.UNIMPLEMENTED, "GAN generators serve Predict only (no tf.Example API)."
        )

    Classify = Regress = MultiInference = _unimplemented


class ModelService(model_service_pb2_grpc.ModelServiceServicer):
    def __init__(self, server):
        self.server = server

    async def GetModelStatus(self, request, context):
        try:
            name, version, label, _ = _spec_fields(request.model_spec)
            return status_response(self.server, name, version, label)
        except Exception as exception:
            error = from_exception(exception)
        await context.abort(error.grpc_code, error.message)

    async def HandleReloadConfigRequest(self, request, context):
        try:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self.server.registry.reload_config, request.config)
            response = model_management_pb2.ReloadConfigResponse()
            response.status.error_code = 0
            return response
        except ValueError as exception:
            error = ServingError("INVALID_ARGUMENT", str(exception))
        except Exception as exception:
            error = from_exception(exception)
        await context.abort(error.grpc_code, error.message)


def add_services(grpc_server, server) -> None:
    prediction_service_pb2_grpc.add_PredictionServiceServicer_to_server(
        PredictionService(server), grpc_server
    )
    model_service_pb2_grpc.add_ModelServiceServicer_to_server(ModelService(server), grpc_server)
