"""Shared pytest set-up: a project-local cache and the Fashion-MNIST classifier fixture."""

import os
from pathlib import Path

import pytest

# The classifier the quality tests judge samples with is trained once per clone
# (about 2 minutes) and cached here, not in the user's home.
os.environ.setdefault("KERAS_GAN_CACHE_DIR", str(Path(__file__).parent / ".cache" / "keras_gan"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def fashion_classifier():
    """The project's Fashion-MNIST classifier: loaded from the cache, trained if missing."""
    from keras_gan.metrics.fashion_classifier import load_fashion_classifier

    return load_fashion_classifier(verbose=0)
