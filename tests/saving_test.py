"""A saved GAN loads in a fresh Python process and draws the same samples for the same seed."""

import subprocess
import sys

import numpy as np
import pytest

from keras_gan.models import ACGAN, WGANGP, InfoGAN
from keras_gan.testing import fashion_mnist_batch, run_fit_runner

TINY = {"latent_dim": 8, "image_size": 28, "channels": 1, "base_filters": 4}

LOAD_AND_SAMPLE = """
import sys, numpy as np, keras
import keras_gan  # registers the classes, as a user's import would
model = keras.saving.load_model(sys.argv[1])
np.save(sys.argv[2], model.generate(8, seed=21))
print(type(model).__name__, int(model.g_optimizer.iterations))
"""


@pytest.mark.parametrize("cls", [WGANGP, ACGAN, InfoGAN], ids=lambda c: c.__name__)
def test_fresh_process_loads_identical_model(cls, tmp_path):
    images, labels = fashion_mnist_batch(32)
    model = cls(**TINY, ema_decay=0.9)
    run_fit_runner(model, images, labels)
    path = tmp_path / "model.keras"
    model.save(path)
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AND_SAMPLE, str(path), str(tmp_path / "s.npy")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [cls.__name__, str(int(model.g_optimizer.iterations))]
    np.testing.assert_array_equal(np.load(tmp_path / "s.npy"), model.generate(8, seed=21))
