"""`make demo`'s job end to end, shortened: train, reload, export, serve, query, summary."""

import json

import numpy as np
import pytest
from PIL import Image

from keras_gan.demo import run_demo


@pytest.mark.slow
def test_demo_trains_exports_serves_and_queries(tmp_path):
    summary = run_demo(tmp_path, epochs=1, steps=5, batch_size=16)
    assert summary["reloaded_model_draws_same_samples"]
    served = summary["serving"]
    assert served["served_models"] == ["dcgan", "srgan_photos_x4"]
    assert served["sr_served_vs_keras_max_level_diff"] <= 1
    assert served["dcgan_served_vs_keras_max_level_diff"] <= 1
    assert served["sr_rest_equals_grpc"]
    assert served["sr_psnr_served_db"] > served["sr_psnr_bicubic_db"]
    assert all(report["passed"] for report in served["export_parity"].values())
    image = Image.open(served["sr_output"])
    assert image.size == (600, 400) and np.asarray(image).std() > 10
    assert json.loads((tmp_path / "summary.json").read_text())["serving"]["grpc_port"] > 0
