"""`ServingError`: one error type for the server and the client, named by its gRPC code.

The codes are gRPC's canonical ones (`grpc.StatusCode` names); each maps to the HTTP
status TF-Serving's REST API answers with.
"""

from __future__ import annotations

HTTP_STATUS = {
    "OK": 200,
    "CANCELLED": 499,
    "UNKNOWN": 500,
    "INVALID_ARGUMENT": 400,
    "DEADLINE_EXCEEDED": 504,
    "NOT_FOUND": 404,
    "ALREADY_EXISTS": 409,
    "PERMISSION_DENIED": 403,
    "RESOURCE_EXHAUSTED": 429,
    "FAILED_PRECONDITION": 400,
    "ABORTED": 409,
    "OUT_OF_RANGE": 400,
    "UNIMPLEMENTED": 501,
    "INTERNAL": 500,
    "UNAVAILABLE": 503,
    "DATA_LOSS": 500,
    "UNAUTHENTICATED": 401,
}
"""gRPC status code name -> HTTP status of a REST answer."""

_CODE_BY_HTTP = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    413: "RESOURCE_EXHAUSTED",
    429: "RESOURCE_EXHAUSTED",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class ServingError(Exception):
    """A request failed with gRPC status `code` (e.g. `"NOT_FOUND"`) and `message`."""

    def __init__(self, code: str, message: str):
        if code not in HTTP_STATUS:
            raise ValueError(
                f"Unknown status code {code!r}. Expected one of {sorted(HTTP_STATUS)}."
            )
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    @property
    def grpc_code(self):
        import grpc

        return getattr(grpc.StatusCode, self.code)

    @classmethod
    def from_http(cls, status: int, message: str) -> ServingError:
        """The error of a REST answer with HTTP `status`."""
        return cls(_CODE_BY_HTTP.get(status, "INTERNAL" if status >= 500 else "UNKNOWN"), message)


def invalid(message: str) -> ServingError:
    return ServingError("INVALID_ARGUMENT", message)


def not_found(message: str) -> ServingError:
    return ServingError("NOT_FOUND", message)


def from_exception(error: BaseException) -> ServingError:
    """A `ServingError` for any exception a request raised (TensorFlow's keep their code)."""
    if isinstance(error, ServingError):
        return error
    import tensorflow as tf

    if isinstance(error, tf.errors.OpError):
        # TensorFlow's error codes are the canonical gRPC codes.
        import grpc

        names = {code.value[0]: code.name for code in grpc.StatusCode}
        message = str(error.message).strip().splitlines()[0] if error.message else str(error)
        return ServingError(names.get(error.error_code, "INTERNAL"), message)
    return ServingError("INTERNAL", f"{type(error).__name__}: {error}")
