"""Tensors in and out of the server: signature specs, input checks, TensorProto and REST JSON.

Every request's inputs are checked against the SavedModel's signature before they reach
TensorFlow (names, dtype, rank, fixed dimensions, one batch size, a pixel limit per
image, decodable image headers), so a bad request gets INVALID_ARGUMENT naming the
problem instead of a TensorFlow traceback.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import io

import numpy as np
import orjson
import tensorflow as tf

from keras_gan.serving.errors import invalid

DEFAULT_MAX_IMAGE_PIXELS = 4096 * 4096
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP")  # what tf.io.decode_image reads


@dataclasses.dataclass(frozen=True)
class TensorSpec:
    """One named tensor of a signature: dtype and shape (None = any size)."""

    name: str
    dtype: tf.DType
    shape: tuple | None  # None: unknown rank

    def describe(self) -> str:
        shape = "?" if self.shape is None else _shape_text(self.shape)
        return f"{self.dtype.name} {shape}"


@dataclasses.dataclass(frozen=True)
class SignatureSpec:
    """A signature's named inputs and outputs."""

    name: str
    inputs: dict
    outputs: dict


def _shape_text(shape) -> str:
    return "[" + ", ".join("?" if size is None else str(size) for size in shape) + "]"


def _tensor_spec(name: str, info) -> TensorSpec:
    if info.tensor_shape.unknown_rank:
        shape = None
    else:
        shape = tuple(dim.size if dim.size >= 0 else None for dim in info.tensor_shape.dim)
    return TensorSpec(name, tf.dtypes.as_dtype(info.dtype), shape)


def signature_specs(signature_defs) -> dict:
    """`{signature name: SignatureSpec}` of a map of `SignatureDef` protos."""
    return {
        name: SignatureSpec(
            name,
            {key: _tensor_spec(key, info) for key, info in definition.inputs.items()},
            {key: _tensor_spec(key, info) for key, info in definition.outputs.items()},
        )
        for name, definition in signature_defs.items()
    }


def array_dtype(array: np.ndarray) -> tf.DType | None:
    if array.dtype.kind in "OSU":
        return tf.string
    try:
        return tf.dtypes.as_dtype(array.dtype)
    except TypeError:
        return None


def check_inputs(
    spec: SignatureSpec, inputs: dict, max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
) -> int:
    """Checks `inputs` against `spec`; returns the batch size. Raises INVALID_ARGUMENT."""
    expected = ", ".join(f"{k} ({v.describe()})" for k, v in spec.inputs.items())
    unknown = sorted(set(inputs) - set(spec.inputs))
    missing = sorted(set(spec.inputs) - set(inputs))
    if unknown or missing:
        problem = f"unknown input(s) {unknown}" if unknown else f"missing input(s) {missing}"
        raise invalid(f"Signature {spec.name!r}: {problem}. It takes: {expected}.")
    batch = None
    for name, tensor_spec in spec.inputs.items():
        array = inputs[name]
        dtype = array_dtype(array)
        if dtype != tensor_spec.dtype:
            received = array.dtype.name if dtype is None else dtype.name
            raise invalid(
                f"Input {name!r} must be {tensor_spec.dtype.name}; received {received} "
                f"(signature {spec.name!r} takes {name} {tensor_spec.describe()})."
            )
        shape = tensor_spec.shape
        if shape is not None:
            if array.ndim != len(shape):
                raise invalid(
                    f"Input {name!r} must have rank {len(shape)} {_shape_text(shape)}; "
                    f"received shape {list(array.shape)}."
                )
            for axis, (size, wanted) in enumerate(zip(array.shape, shape, strict=True)):
                if wanted is not None and size != wanted:
                    raise invalid(
                        f"Input {name!r} must be {_shape_text(shape)}; received shape "
                        f"{list(array.shape)} (dimension {axis} is {size}, expected {wanted})."
                    )
        if array.ndim == 0:
            raise invalid(f"Input {name!r} needs a batch dimension; received a scalar.")
        if batch is None:
            batch = array.shape[0]
        elif array.shape[0] != batch:
            raise invalid(
                f"All inputs need the same batch size; {name!r} has {array.shape[0]}, "
                f"others {batch}."
            )
        if array.ndim == 4 and array.shape[1] * array.shape[2] > max_image_pixels:
            raise invalid(
                f"Input {name!r}: images of {array.shape[1]}x{array.shape[2]} pixels exceed "
                f"this server's limit of {max_image_pixels} pixels per image."
            )
        if tensor_spec.dtype == tf.string and name.endswith("image_bytes"):
            for index, encoded in enumerate(array.reshape(-1)):
                _check_image_header(f"{name}[{index}]", encoded, max_image_pixels)
    if not batch:
        raise invalid(f"Signature {spec.name!r} received an empty batch.")
    return batch


def _check_image_header(where: str, encoded, max_image_pixels: int) -> None:
    from PIL import Image, UnidentifiedImageError

    if isinstance(encoded, str):
        encoded = encoded.encode("latin-1")
    try:
        with Image.open(io.BytesIO(encoded)) as image:
            width, height = image.size
            kind = image.format
    except Image.DecompressionBombError as error:  # declares far more pixels than it holds
        raise invalid(
            f"{where} declares too many pixels ({error}); this server's limit is "
            f"{max_image_pixels} pixels per image."
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise invalid(f"{where} is not a readable PNG/JPEG image ({len(encoded)} bytes).") from None
    if kind not in IMAGE_FORMATS:
        raise invalid(f"{where} is a {kind} image; expected one of {IMAGE_FORMATS}.")
    if width * height > max_image_pixels:
        raise invalid(
            f"{where}: an image of {height}x{width} pixels exceeds this server's limit of "
            f"{max_image_pixels} pixels per image."
        )


def from_tensor_proto(name: str, proto) -> np.ndarray:
    """A NumPy array from a `TensorProto` (INVALID_ARGUMENT when malformed)."""
    try:
        return tf.make_ndarray(proto)
    except Exception as error:  # malformed protos raise several types
        raise invalid(f"Input {name!r} is not a valid TensorProto: {error}") from None


def to_tensor_proto(array: np.ndarray):
    return tf.make_tensor_proto(array)


# REST JSON ------------------------------------------------------------------------------


def _is_b64(value) -> bool:
    return isinstance(value, dict) and set(value) == {"b64"}


def _strings(name: str, value):
    """Nested JSON of strings or {"b64": ...} objects -> nested lists of bytes."""
    if isinstance(value, list):
        return [_strings(name, item) for item in value]
    if _is_b64(value):
        try:
            return base64.b64decode(value["b64"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise invalid(f"Input {name!r}: the 'b64' value is not valid base64.") from None
    if isinstance(value, str):
        return value.encode("utf-8")
    raise invalid(
        f"Input {name!r} takes strings or {{'b64': ...}}; received {type(value).__name__}."
    )


def json_to_array(name: str, value, tensor_spec: TensorSpec | None) -> np.ndarray:
    """A JSON value converted to the dtype the signature expects (checked, not wrapped)."""
    dtype = tensor_spec.dtype if tensor_spec is not None else None
    if dtype == tf.string:
        array = np.array(_strings(name, value), dtype=object)
        if not all(isinstance(item, bytes) for item in array.reshape(-1)):
            raise invalid(f"Input {name!r}: rows of different lengths.")
        return array
    try:
        array = np.asarray(value)
    except ValueError:
        raise invalid(f"Input {name!r}: rows of different lengths.") from None
    if array.dtype.kind not in "biuf":
        raise invalid(
            f"Input {name!r} must hold numbers of one nested shape; received {array.dtype.kind!r} data."
        )
    if dtype is None:
        return array
    target = dtype.as_numpy_dtype
    if np.issubdtype(target, np.integer):
        if array.dtype.kind == "f" and not np.all(np.mod(array, 1) == 0):
            raise invalid(f"Input {name!r} is {dtype.name}; received non-integer values.")
        info = np.iinfo(target)
        if array.size and (array.min() < info.min or array.max() > info.max):
            raise invalid(
                f"Input {name!r} is {dtype.name}: values must lie in [{info.min}, {info.max}]; "
                f"received [{array.min()}, {array.max()}]."
            )
    return array.astype(target)


def parse_rest_request(body, spec: SignatureSpec) -> tuple[dict, bool]:
    """`({input: array}, row_format)` from a REST predict body (`instances` or `inputs`)."""
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    has_rows, has_columns = "instances" in body, "inputs" in body
    if has_rows == has_columns:
        raise invalid("The request body needs exactly one of 'instances' or 'inputs'.")
    names = list(spec.inputs)
    if has_rows:
        instances = body["instances"]
        if not isinstance(instances, list) or not instances:
            raise invalid("'instances' must be a non-empty list.")
        named = all(isinstance(item, dict) and not _is_b64(item) for item in instances)
        if named:
            columns = {}
            for key in {key for item in instances for key in item}:
                if any(key not in item for item in instances):
                    raise invalid(f"Every instance needs input {key!r}.")
                columns[key] = [item[key] for item in instances]
        elif len(names) == 1:
            columns = {names[0]: instances}
        else:
            raise invalid(
                f"Signature {spec.name!r} takes several inputs {names}: use named instances."
            )
    else:
        inputs = body["inputs"]
        if isinstance(inputs, dict) and not _is_b64(inputs):
            columns = inputs
        elif len(names) == 1:
            columns = {names[0]: inputs}
        else:
            raise invalid(f"Signature {spec.name!r} takes several inputs {names}: name them.")
    arrays = {
        key: json_to_array(key, value, spec.inputs.get(key)) for key, value in columns.items()
    }
    return arrays, has_rows


def _json_value(name: str, array: np.ndarray):
    """An output as orjson serializes it: numeric arrays stay NumPy (encoded in C)."""
    if array.dtype.kind in "OSU":
        encode = name.endswith("_bytes")

        def convert(item):
            item = item if isinstance(item, bytes) else str(item).encode()
            if encode:
                return {"b64": base64.b64encode(item).decode("ascii")}
            return item.decode("utf-8", errors="replace")

        return np.frompyfunc(convert, 1, 1)(array).tolist() if array.ndim else convert(array.item())
    if array.ndim == 0:
        return array.item()
    return np.ascontiguousarray(array)


def rest_response(outputs: dict, row_format: bool) -> dict:
    """TF-Serving's `{"predictions": [...]}` (row) or `{"outputs": ...}` (columnar) answer.

    Numeric outputs are NumPy arrays in the returned dict: `encode_json` writes them.
    """
    if not row_format:
        values = {name: _json_value(name, array) for name, array in outputs.items()}
        return {"outputs": next(iter(values.values())) if len(values) == 1 else values}
    if len(outputs) == 1:
        ((name, array),) = outputs.items()
        return {"predictions": _json_value(name, array)}
    columns = {name: _json_value(name, array) for name, array in outputs.items()}
    rows = len(next(iter(columns.values())))
    return {"predictions": [{name: col[i] for name, col in columns.items()} for i in range(rows)]}


def encode_json(payload) -> bytes:
    """JSON bytes of a payload that may hold NumPy arrays (orjson: C speed, no tolist)."""
    return orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY)


def decode_json(raw: bytes):
    """A REST body parsed (INVALID_ARGUMENT for bad JSON, nesting too deep included)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise invalid(f"The request body is not valid JSON: {error}") from None
