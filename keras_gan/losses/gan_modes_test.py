import numpy as np
import pytest

from keras_gan.losses import (
    gan_mode_discriminator_loss,
    gan_mode_generator_loss,
    gan_mode_loss,
)

LOGITS = np.array([[-2.0, 0.5], [1.5, 3.0]], "float32")


def _bce(logits, target):
    p = 1 / (1 + np.exp(-logits))
    return float(np.mean(-(target * np.log(p) + (1 - target) * np.log(1 - p))))


def test_vanilla_is_binary_cross_entropy_on_logits():
    assert float(gan_mode_loss(LOGITS, True, "vanilla")) == pytest.approx(_bce(LOGITS, 1), 1e-5)
    assert float(gan_mode_loss(LOGITS, False, "vanilla")) == pytest.approx(_bce(LOGITS, 0), 1e-5)


def test_lsgan_and_wgangp_terms():
    assert float(gan_mode_loss(LOGITS, True, "lsgan")) == pytest.approx(np.mean((LOGITS - 1) ** 2))
    assert float(gan_mode_loss(LOGITS, False, "lsgan")) == pytest.approx(np.mean(LOGITS**2))
    assert float(gan_mode_loss(LOGITS, True, "wgangp")) == pytest.approx(-LOGITS.mean())
    assert float(gan_mode_loss(LOGITS, False, "wgangp")) == pytest.approx(LOGITS.mean())


def test_discriminator_loss_halves_the_sum_and_generator_targets_real():
    real, fake = LOGITS, -LOGITS
    d = gan_mode_discriminator_loss(real, fake, "lsgan")
    expected = 0.5 * (np.mean((real - 1) ** 2) + np.mean(fake**2))
    assert float(d) == pytest.approx(expected)
    assert float(gan_mode_generator_loss(fake, "lsgan")) == pytest.approx(np.mean((fake - 1) ** 2))


def test_unknown_mode_is_named():
    with pytest.raises(ValueError, match="gan_mode 'hinge'"):
        gan_mode_loss(LOGITS, True, "hinge")
