"""Tiny exported models shared by the serving tests (exported once per session)."""

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest


@dataclasses.dataclass
class Exports:
    base: Path  # BASE/styler/1, BASE/dcgan/1
    styler: object  # the Keras model behind styler/1
    dcgan: object
    styler_v2: Path  # another style network's export, to drop in as a new version
    styler_v2_model: object
    upscaler: object  # a x2 SRGAN behind BASE/upscaler/1 (tile-safe)

    def copy_model(self, name: str, target: Path, version: int = 1) -> Path:
        """Copies BASE/name/1 to target/version (a fresh base path for one test)."""
        shutil.copytree(self.base / name / "1", target / str(version))
        return target


@pytest.fixture(scope="session")
def exports(tmp_path_factory) -> Exports:
    from keras_gan.export import export_saved_model
    from keras_gan.models import DCGAN, SRGAN, StyleTransfer
    from keras_gan.testing.tiny_configs import tiny_config

    base = tmp_path_factory.mktemp("serving_models")
    styler = StyleTransfer(**tiny_config("style_transfer", num_styles=1))
    export_saved_model(styler, base / "styler" / "1", parity=False, verbose=False)
    dcgan = DCGAN(**tiny_config("dcgan"))
    export_saved_model(dcgan, base / "dcgan" / "1", parity=False, verbose=False)
    other = StyleTransfer(**tiny_config("style_transfer", num_styles=1))
    spare = tmp_path_factory.mktemp("serving_spare")
    export_saved_model(other, spare / "styler" / "2", parity=False, verbose=False)
    upscaler = SRGAN(**tiny_config("srgan", scale=2))
    export_saved_model(upscaler, base / "upscaler" / "1", parity=False, verbose=False)
    return Exports(base, styler, dcgan, spare / "styler" / "2", other, upscaler)


def photos(n: int, height: int = 24, width: int = 20, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (n, height, width, 3), dtype=np.uint8)


def styled(model, images: np.ndarray) -> np.ndarray:
    """What serving_default should answer: `keras-gan predict` on each image."""
    from keras_gan.prediction import predict_image

    return np.stack([predict_image(model, image, tile=0) for image in images])


def assert_close_uint8(actual, expected) -> None:
    assert actual.dtype == np.uint8 and actual.shape == expected.shape
    assert np.abs(actual.astype(int) - expected.astype(int)).max() <= 1
