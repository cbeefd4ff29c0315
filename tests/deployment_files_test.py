"""The deployment files for the real tensorflow/serving image parse and match the project."""

import re
from pathlib import Path

import tensorflow as tf
from google.protobuf import text_format
from tensorflow_serving.config import model_server_config_pb2

from keras_gan.models import all_presets

ROOT = Path(__file__).resolve().parents[1]
SERVING = ROOT / "serving"


def _shipped(name: str) -> bool:
    presets = all_presets()
    return name in presets and presets[name].presets[name]["has_weights"]


def test_models_config_is_a_valid_model_server_config():
    config = text_format.Parse(
        (SERVING / "models.config").read_text(), model_server_config_pb2.ModelServerConfig()
    )
    models = config.model_config_list.config
    assert len(models) == 3
    for model in models:
        assert _shipped(model.name), model.name
        assert model.base_path == f"/models/{model.name}"
        assert model.model_platform == "tensorflow"
        assert model.model_version_policy.WhichOneof("policy_choice") in ("latest", "specific")
    labelled = [m for m in models if m.version_labels]
    assert labelled and all(
        v in m.model_version_policy.specific.versions
        for m in labelled
        for v in m.version_labels.values()
    )


def _dockerfile(path: Path) -> list[str]:
    """Instructions with continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_serving_dockerfile_builds_from_the_matching_tf_serving_and_our_files():
    lines = _dockerfile(SERVING / "Dockerfile")
    version = next(
        line.split("=")[1] for line in lines if line.startswith("ARG TF_SERVING_VERSION")
    )
    assert version.rsplit(".", 1)[0] == ".".join(tf.__version__.split(".")[:2])
    assert "FROM tensorflow/serving:${TF_SERVING_VERSION}" in lines
    for line in lines:
        if line.startswith("COPY") and "--from" not in line:
            assert (ROOT / line.split()[1]).exists(), line
    exported = re.findall(r"for preset in ([\w ]+);", " ".join(lines))[0].split()
    config = (SERVING / "models.config").read_text()
    assert exported and all(_shipped(name) and f'"{name}"' in config for name in exported)
    assert any("--model_config_file=/config/models.config" in line for line in lines)


def test_training_dockerfile_copies_files_that_exist():
    lines = _dockerfile(ROOT / "Dockerfile")
    copies = [line.split()[1:-1] for line in lines if line.startswith("COPY")]
    assert copies and all((ROOT / name).exists() for names in copies for name in names)
    assert any(line.startswith("ENTRYPOINT") and "keras-gan" in line for line in lines)


def test_batching_parameters_parse_as_tf_serving_batching_parameters():
    from keras_gan.serving import BatchingParameters, read_batching_parameters

    text = (SERVING / "batching_parameters.txt").read_text()
    proto = text_format.Parse(text, BatchingParameters())
    assert proto.max_batch_size.value == 8 and proto.batch_timeout_micros.value == 5000
    options = read_batching_parameters(SERVING / "batching_parameters.txt")
    assert (options.max_batch_size, options.num_batch_threads) == (8, 2)


def test_keras_gan_serve_reads_the_deployment_model_config():
    from keras_gan.serving import read_model_config

    config = read_model_config(SERVING / "models.config")
    assert [m.name for m in config.model_config_list.config] == [
        "srgan_photos_x4",
        "style_transfer_starry_night_mobile",
        "colorizer_photos_128",
    ]


def test_monitoring_config_turns_on_prometheus_for_both_servers():
    """TF-Serving's MonitoringConfig text, read by keras-gan serve the same way."""
    from keras_gan.serving.config import read_monitoring_config

    assert read_monitoring_config(SERVING / "monitoring.config") == (
        "/monitoring/prometheus/metrics"
    )
    lines = _dockerfile(SERVING / "Dockerfile")
    assert any("--monitoring_config_file=/config/monitoring.config" in line for line in lines)
    assert "COPY serving/monitoring.config /config/monitoring.config" in lines
