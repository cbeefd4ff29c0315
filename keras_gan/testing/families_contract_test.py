"""Every registered family through the shared runners of `family_test_case` (no edits here
when a family is added: it is tested by registering itself with a `tiny_config`)."""

import pytest

from keras_gan.registry import list_families
from keras_gan.testing.family_test_case import (
    run_fresh_process_loading_test,
    run_registration_test,
    run_task_test,
)

FAMILIES = [info.name for info in list_families()]
_TRAINED = {}


def test_every_family_folder_is_registered():
    import keras_gan.models as models

    expected = {"acgan", "cgan", "colorizer", "cyclegan", "dcgan", "esrgan", "infogan"}
    expected |= {"lsgan", "pix2pix", "sngan", "srgan", "style_transfer", "wgan", "wgan_gp"}
    assert expected <= set(FAMILIES)
    for info in list_families():
        assert getattr(models, info.cls.__name__) is info.cls


@pytest.mark.parametrize("family", FAMILIES)
def test_family_registration(family):
    run_registration_test(family)


@pytest.mark.parametrize("family", FAMILIES)
def test_family_task(family):
    _TRAINED[family] = run_task_test(family)


@pytest.mark.slow
def test_every_family_loads_in_a_fresh_process(tmp_path):
    from keras_gan.testing.family_test_case import tiny_model

    models = {family: _TRAINED.get(family) or tiny_model(family) for family in FAMILIES}
    run_fresh_process_loading_test(models, tmp_path)
