"""TF-Serving's configuration files: `models.config` and the batching parameters file.

Both are protobuf text format. `--model_config_file` holds a `ModelServerConfig`
(`tensorflow_serving.config.model_server_config_pb2`):

    model_config_list {
      config {
        name: "pix2pix"
        base_path: "/models/pix2pix"
        model_platform: "tensorflow"
        model_version_policy { latest { num_versions: 2 } }  # or all {} / specific { versions: 1 }
        version_labels { key: "stable" value: 1 }
      }
    }

`--batching_parameters_file` holds a `tensorflow.serving.BatchingParameters`
(`max_batch_size { value: 8 }` ...). The pip package `tensorflow-serving-api` does not
ship that message, so it is built here from a descriptor with the field names and
numbers of TF-Serving's `session_bundle_config.proto`, in a private descriptor pool.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from google.protobuf import (
    descriptor_pb2,
    descriptor_pool,
    message_factory,
    text_format,
    wrappers_pb2,
)

_WRAPPERS = "google/protobuf/wrappers.proto"

# (name, number, type, label, wrapper type or None), as in TF-Serving's proto.
_BATCHING_FIELDS = (
    ("max_batch_size", 1, "Int64Value"),
    ("batch_timeout_micros", 2, "Int64Value"),
    ("max_enqueued_batches", 3, "Int64Value"),
    ("num_batch_threads", 4, "Int64Value"),
    ("thread_pool_name", 5, "StringValue"),
    ("allowed_batch_sizes", 6, "repeated int64"),
    ("pad_variable_length_inputs", 7, "bool"),
    ("enable_large_batch_splitting", 8, "BoolValue"),
    ("max_execution_batch_size", 9, "Int64Value"),
)


def _batching_parameters_class():
    pool = descriptor_pool.DescriptorPool()
    wrappers = descriptor_pb2.FileDescriptorProto()
    wrappers_pb2.DESCRIPTOR.CopyToProto(wrappers)
    pool.Add(wrappers)
    proto = descriptor_pb2.FileDescriptorProto(
        name="tensorflow_serving/servables/tensorflow/session_bundle_config.proto",
        package="tensorflow.serving",
        syntax="proto3",
        dependency=[_WRAPPERS],
    )
    message = proto.message_type.add(name="BatchingParameters")
    field_type = descriptor_pb2.FieldDescriptorProto
    for name, number, kind in _BATCHING_FIELDS:
        field = message.field.add(name=name, number=number, json_name=_camel(name))
        field.label = field_type.LABEL_OPTIONAL
        if kind == "repeated int64":
            field.label = field_type.LABEL_REPEATED
            field.type = field_type.TYPE_INT64
        elif kind == "bool":
            field.type = field_type.TYPE_BOOL
        else:
            field.type = field_type.TYPE_MESSAGE
            field.type_name = f".google.protobuf.{kind}"
    pool.Add(proto)
    return message_factory.GetMessageClass(
        pool.FindMessageTypeByName("tensorflow.serving.BatchingParameters")
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


BatchingParameters = _batching_parameters_class()
"""The `tensorflow.serving.BatchingParameters` protobuf message class."""

DEFAULT_PROMETHEUS_PATH = "/monitoring/prometheus/metrics"


def _monitoring_config_class():
    """`tensorflow.serving.MonitoringConfig` (monitoring_config.proto, not in the pip API)."""
    pool = descriptor_pool.DescriptorPool()
    proto = descriptor_pb2.FileDescriptorProto(
        name="tensorflow_serving/config/monitoring_config.proto",
        package="tensorflow.serving",
        syntax="proto3",
    )
    field_type = descriptor_pb2.FieldDescriptorProto
    prometheus = proto.message_type.add(name="PrometheusConfig")
    prometheus.field.add(name="enable", number=1, type=field_type.TYPE_BOOL, json_name="enable")
    prometheus.field.add(name="path", number=2, type=field_type.TYPE_STRING, json_name="path")
    monitoring = proto.message_type.add(name="MonitoringConfig")
    monitoring.field.add(
        name="prometheus_config",
        number=1,
        type=field_type.TYPE_MESSAGE,
        type_name=".tensorflow.serving.PrometheusConfig",
        json_name="prometheusConfig",
    )
    for message in proto.message_type:
        for field in message.field:
            field.label = field_type.LABEL_OPTIONAL
    pool.Add(proto)
    return message_factory.GetMessageClass(
        pool.FindMessageTypeByName("tensorflow.serving.MonitoringConfig")
    )


MonitoringConfig = _monitoring_config_class()
"""The `tensorflow.serving.MonitoringConfig` protobuf message class."""


def parse_monitoring_config(text: str) -> str | None:
    """The Prometheus path a `MonitoringConfig` text turns on (None: metrics off)."""
    proto = MonitoringConfig()
    try:
        text_format.Parse(text, proto)
    except text_format.ParseError as error:
        raise ValueError(f"Invalid monitoring config: {error}") from None
    prometheus = proto.prometheus_config
    if not prometheus.enable:
        return None
    path = prometheus.path or DEFAULT_PROMETHEUS_PATH
    if not path.startswith("/") or path.startswith("/v1/"):
        raise ValueError(
            f"prometheus_config.path must start with '/' outside /v1/. Received: {path!r}"
        )
    return path


def read_monitoring_config(path: str | os.PathLike) -> str | None:
    """The Prometheus path of a `--monitoring_config_file` (None: metrics off)."""
    return parse_monitoring_config(_read(path, "Monitoring config file"))


@dataclasses.dataclass(frozen=True)
class BatchingOptions:
    """The batching parameters this server uses (TF-Serving's defaults where unset).

    Args:
        max_batch_size: most rows in one batch; a request with more is refused.
        batch_timeout_micros: how long the first request of a batch waits for others.
        max_enqueued_batches: batches that may wait for a thread; more -> RESOURCE_EXHAUSTED.
        num_batch_threads: batches that run at once.
        allowed_batch_sizes: pad each batch up to the next of these sizes (last = max).
    """

    max_batch_size: int = 1000
    batch_timeout_micros: int = 0
    max_enqueued_batches: int = 10
    num_batch_threads: int = max(1, os.cpu_count() or 1)
    allowed_batch_sizes: tuple[int, ...] = ()

    def __post_init__(self):
        for name in ("max_batch_size", "max_enqueued_batches", "num_batch_threads"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1. Received: {name}={getattr(self, name)}")
        if self.batch_timeout_micros < 0:
            raise ValueError(
                f"batch_timeout_micros must be >= 0. Received: {self.batch_timeout_micros}"
            )
        sizes = list(self.allowed_batch_sizes)
        if sizes and (sizes != sorted(set(sizes)) or sizes[-1] != self.max_batch_size):
            raise ValueError(
                "allowed_batch_sizes must increase and end with max_batch_size "
                f"({self.max_batch_size}). Received: allowed_batch_sizes={sizes}"
            )

    @classmethod
    def from_proto(cls, proto) -> BatchingOptions:
        """Options from a `BatchingParameters` message (unset fields keep the defaults)."""
        values = {}
        for name in ("max_batch_size", "batch_timeout_micros", "max_enqueued_batches"):
            if proto.HasField(name):
                values[name] = getattr(proto, name).value
        if proto.HasField("num_batch_threads"):
            values["num_batch_threads"] = proto.num_batch_threads.value
        if proto.allowed_batch_sizes:
            values["allowed_batch_sizes"] = tuple(proto.allowed_batch_sizes)
        return cls(**values)


def _read(path: str | os.PathLike, what: str) -> str:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} {str(path)!r} does not exist.")
    return path.read_text()


def parse_batching_parameters(text: str) -> BatchingOptions:
    """`BatchingOptions` from a `BatchingParameters` text-format string."""
    proto = BatchingParameters()
    try:
        text_format.Parse(text, proto)
    except text_format.ParseError as error:
        raise ValueError(f"Invalid batching parameters: {error}") from None
    return BatchingOptions.from_proto(proto)


def read_batching_parameters(path: str | os.PathLike) -> BatchingOptions:
    """`BatchingOptions` from a `--batching_parameters_file`."""
    return parse_batching_parameters(_read(path, "Batching parameters file"))


def parse_model_config(text: str):
    """A checked `ModelServerConfig` from text format (a `model_config_list` of models)."""
    from tensorflow_serving.config import model_server_config_pb2

    config = model_server_config_pb2.ModelServerConfig()
    try:
        text_format.Parse(text, config)
    except text_format.ParseError as error:
        raise ValueError(f"Invalid model config: {error}") from None
    check_model_config(config)
    return config


def read_model_config(path: str | os.PathLike):
    """The `ModelServerConfig` of a `--model_config_file`; relative base paths are kept."""
    return parse_model_config(_read(path, "Model config file"))


def check_model_config(config) -> None:
    """Raises `ValueError` naming the first problem of a `ModelServerConfig`."""
    if config.WhichOneof("config") != "model_config_list":
        raise ValueError("The model config needs a model_config_list { config { ... } }.")
    names = set()
    for model in config.model_config_list.config:
        if not model.name:
            raise ValueError(f"Every model config needs a name. Received: {model}")
        if model.name in names:
            raise ValueError(f"Model {model.name!r} is configured twice.")
        names.add(model.name)
        if not model.base_path:
            raise ValueError(f"Model {model.name!r} needs a base_path.")
        if model.model_platform not in ("", "tensorflow"):
            raise ValueError(
                f"Model {model.name!r}: only model_platform 'tensorflow' is served. "
                f"Received: {model.model_platform!r}"
            )
        policy = model.model_version_policy
        if policy.WhichOneof("policy_choice") == "specific" and not policy.specific.versions:
            raise ValueError(f"Model {model.name!r}: a specific version policy needs versions.")


def single_model_config(name: str, base_path: str | os.PathLike):
    """The config of `--model_name NAME --model_base_path DIR`: one model, latest version."""
    from tensorflow_serving.config import model_server_config_pb2

    config = model_server_config_pb2.ModelServerConfig()
    model = config.model_config_list.config.add()
    model.name = name
    model.base_path = str(base_path)
    model.model_platform = "tensorflow"
    check_model_config(config)
    return config


def versions_to_serve(policy, available: list[int]) -> list[int]:
    """The versions of `available` that a `ServableVersionPolicy` serves (default: latest 1)."""
    available = sorted(set(available))
    choice = policy.WhichOneof("policy_choice")
    if choice == "all":
        return available
    if choice == "specific":
        wanted = set(policy.specific.versions)
        return [version for version in available if version in wanted]
    count = policy.latest.num_versions if choice == "latest" else 1
    return available[-max(count, 1) :] if available else []
