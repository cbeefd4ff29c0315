"""Every noise-to-image family through the shared runners, on real Fashion-MNIST images."""

import numpy as np
import pytest

from keras_gan.models import NOISE_FAMILIES as FAMILIES
from keras_gan.testing import (
    fashion_mnist_batch,
    run_fit_runner,
    run_generate_runner,
    run_saving_runner,
    run_serialization_runner,
)

TINY = {"latent_dim": 8, "image_size": 28, "channels": 1, "base_filters": 4}


@pytest.fixture(scope="module")
def real_batch():
    return fashion_mnist_batch(32)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_runners(family, real_batch, tmp_path):
    model = FAMILIES[family](**TINY, ema_decay=0.9)
    run_generate_runner(model, (28, 28, 1))
    run_fit_runner(model, *real_batch)
    run_serialization_runner(model)
    run_saving_runner(model, tmp_path)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_preset_builds(family):
    cls = FAMILIES[family]
    assert cls.presets, f"{family} has no preset"
    for name, entry in cls.presets.items():
        assert name.startswith(family.replace("_", "_")), name
        model = cls.from_preset(name)
        side = entry["config"]["image_size"]
        assert model.generator.output.shape[1:3] == (side, side)


def test_fit_on_images_of_the_wrong_size_names_both_shapes():
    model = FAMILIES["dcgan"](**TINY)
    model.compile()
    wrong = np.zeros((8, 32, 32, 1), "float32")
    with pytest.raises(ValueError, match=r"shape \(32, 32, 1\).*makes \(28, 28, 1\)"):
        model.fit(wrong, batch_size=4, epochs=1, verbose=0)


def test_conditional_fit_without_labels_says_labels_are_needed():
    model = FAMILIES["cgan"](**TINY)
    model.compile()
    with pytest.raises(ValueError, match="needs labels"):
        model.fit(np.zeros((8, 28, 28, 1), "float32"), batch_size=4, epochs=1, verbose=0)


def test_generate_checks_labels():
    model = FAMILIES["acgan"](**TINY)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 10\)"):
        model.generate(2, labels=[0, 10])
    with pytest.raises(ValueError, match="Expected 3 labels"):
        model.generate(3, labels=[0, 1])
    with pytest.raises(ValueError, match="takes no"):
        FAMILIES["dcgan"](**TINY).generate(2, labels=[0, 1])


def test_grid_columns_put_one_class_or_code_per_column():
    assert FAMILIES["dcgan"](**TINY).grid_columns() is None
    assert FAMILIES["cgan"](**TINY, num_classes=7).grid_columns() == 7
    assert FAMILIES["infogan"](**TINY, num_categorical_codes=5).grid_columns() == 5
    assert FAMILIES["infogan"](**TINY, num_categorical_codes=0).grid_columns() is None
