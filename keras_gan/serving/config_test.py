"""models.config and batching parameters in TF-Serving's text format, parsed with the protos."""

import json

import numpy as np
import pytest
from google.protobuf import text_format
from tensorflow_serving.config import model_server_config_pb2

from keras_gan.serving import BatchingOptions, BatchingParameters, ServingError
from keras_gan.serving.config import (
    parse_batching_parameters,
    parse_model_config,
    read_model_config,
    single_model_config,
    versions_to_serve,
)
from keras_gan.serving.tensors import (
    decode_json,
    encode_json,
    json_to_array,
    parse_rest_request,
    rest_response,
)

MODELS_CONFIG = """
model_config_list {
  config {
    name: "pix2pix"
    base_path: "/models/pix2pix"
    model_platform: "tensorflow"
    model_version_policy { specific { versions: 1 versions: 3 } }
    version_labels { key: "stable" value: 1 }
    version_labels { key: "canary" value: 3 }
  }
  config { name: "dcgan" base_path: "/models/dcgan" model_version_policy { latest { num_versions: 2 } } }
  config { name: "srgan" base_path: "/models/srgan" model_version_policy { all {} } }
}
"""


def test_models_config_parses_into_model_server_config(tmp_path):
    path = tmp_path / "models.config"
    path.write_text(MODELS_CONFIG)
    config = read_model_config(path)
    assert isinstance(config, model_server_config_pb2.ModelServerConfig)
    pix2pix, dcgan, srgan = config.model_config_list.config
    assert (pix2pix.name, pix2pix.base_path) == ("pix2pix", "/models/pix2pix")
    assert dict(pix2pix.version_labels) == {"stable": 1, "canary": 3}
    on_disk = [1, 2, 3, 4]
    assert versions_to_serve(pix2pix.model_version_policy, on_disk) == [1, 3]
    assert versions_to_serve(dcgan.model_version_policy, on_disk) == [3, 4]
    assert versions_to_serve(srgan.model_version_policy, on_disk) == on_disk
    default = single_model_config("m", "/b").model_config_list.config[0]
    assert versions_to_serve(default.model_version_policy, on_disk) == [4]
    assert versions_to_serve(default.model_version_policy, []) == []
    # What we write is what TF-Serving reads: a text round trip through the proto.
    again = model_server_config_pb2.ModelServerConfig()
    text_format.Parse(text_format.MessageToString(config), again)
    assert again == config


@pytest.mark.parametrize(
    "text, words",
    [
        ("model_config_list { config { base_path: '/a' } }", "needs a name"),
        ("model_config_list { config { name: 'a' } }", "needs a base_path"),
        ("model_config_list { config { name: 'a' base_path: '/a' model_platform: 'pytorch' } }", "pytorch"),
        ("model_config_list { config { name: 'a' base_path: '/a' } config { name: 'a' base_path: '/b' } }", "twice"),
        ("model_config_list { config { nme: 'a' } }", "Invalid model config"),
        ("", "model_config_list"),
    ],
)  # fmt: skip
def test_bad_models_config_is_named(text, words):
    with pytest.raises(ValueError, match=words):
        parse_model_config(text)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_model_config("/no/such/models.config")


def test_batching_parameters_text_format_and_field_numbers():
    options = parse_batching_parameters(
        """
        max_batch_size { value: 8 }
        batch_timeout_micros { value: 5000 }
        max_enqueued_batches { value: 100 }
        num_batch_threads { value: 4 }
        thread_pool_name { value: "gan_batch_threads" }
        allowed_batch_sizes: 2
        allowed_batch_sizes: 8
        pad_variable_length_inputs: false
        enable_large_batch_splitting { value: false }
        """
    )
    assert options == BatchingOptions(8, 5000, 100, 4, (2, 8))
    assert parse_batching_parameters("").max_batch_size == 1000  # TF-Serving's default
    fields = BatchingParameters.DESCRIPTOR.fields_by_name
    assert BatchingParameters.DESCRIPTOR.full_name == "tensorflow.serving.BatchingParameters"
    numbers = {name: field.number for name, field in fields.items()}
    assert numbers["max_batch_size"] == 1 and numbers["batch_timeout_micros"] == 2
    assert numbers["max_enqueued_batches"] == 3 and numbers["num_batch_threads"] == 4
    assert numbers["allowed_batch_sizes"] == 6 and numbers["pad_variable_length_inputs"] == 7
    message = BatchingParameters()
    message.max_batch_size.value = 3  # field 1, wrapper field 1: bytes 0a 02 08 03
    assert message.SerializeToString() == b"\x0a\x02\x08\x03"
    with pytest.raises(ValueError, match="allowed_batch_sizes"):
        parse_batching_parameters("max_batch_size { value: 8 } allowed_batch_sizes: 4")
    with pytest.raises(ValueError, match="Invalid batching parameters"):
        parse_batching_parameters("max_batch_size: 8")


def test_rest_json_rows_columns_and_b64():
    import tensorflow as tf

    from keras_gan.serving.tensors import SignatureSpec, TensorSpec

    spec = SignatureSpec(
        "s",
        {
            "z": TensorSpec("z", tf.float32, (None, 2)),
            "labels": TensorSpec("labels", tf.int32, (None,)),
        },
        {},
    )
    rows = {"instances": [{"z": [0.5, 1], "labels": 2}, {"z": [3, 4], "labels": 0}]}
    arrays, row_format = parse_rest_request(rows, spec)
    assert row_format and arrays["z"].dtype == np.float32 and arrays["labels"].tolist() == [2, 0]
    arrays, row_format = parse_rest_request({"inputs": {"z": [[1, 2]], "labels": [1]}}, spec)
    assert not row_format and arrays["z"].shape == (1, 2)
    bytes_spec = TensorSpec("image_bytes", tf.string, (None,))
    decoded = json_to_array("image_bytes", [{"b64": "aGk="}, {"b64": "AA=="}], bytes_spec)
    assert decoded.tolist() == [b"hi", b"\x00"]
    with pytest.raises(ServingError, match="int32"):
        json_to_array("labels", [0.5], spec.inputs["labels"])
    outputs = {"image_bytes": np.array([b"hi"], object), "images": np.zeros((1, 1), np.uint8)}

    def as_json(payload):  # what a client reads: the encoded answer, parsed
        return json.loads(encode_json(payload))

    assert as_json(rest_response(outputs, True)) == {
        "predictions": [{"image_bytes": {"b64": "aGk="}, "images": [0]}]
    }
    columns = rest_response({"images": np.ones((2, 1), np.uint8)}, False)
    assert as_json(columns) == {"outputs": [[1], [1]]}
    floats = rest_response({"images": np.array([[0.1, -1.0]], np.float32)}, True)
    assert np.array_equal(np.float32(as_json(floats)["predictions"]), np.float32([[0.1, -1.0]]))
    with pytest.raises(ServingError, match="not valid JSON.*depth"):
        decode_json(b"[" * 5000 + b"]" * 5000)
