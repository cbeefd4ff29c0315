import keras
import numpy as np
import pytest

from keras_gan.export.network import check_direction, export_network, resolve_input_size
from keras_gan.models import ACGAN, DCGAN, CycleGAN, StyleTransfer
from keras_gan.testing.tiny_configs import tiny_config

TINY_NOISE = tiny_config("dcgan")
TINY_CYCLE = tiny_config("cyclegan", channels_a=1, channels_b=3, lambda_identity=0.0)


def test_noise_export_uses_the_ema_generator():
    model = DCGAN(**TINY_NOISE, ema_decay=0.9)
    for weight in model.ema_generator.weights:  # make the EMA copy differ
        weight.assign(weight * 0.5)
    spec = export_network(model)
    z = model.sample_z(2, seed=0)
    out = keras.ops.convert_to_numpy(spec.network(z))
    ema = model.ema_generator.predict(z, verbose=0)
    raw = model.generator.predict(z, verbose=0)
    # An untrained tiny generator's outputs can be ~1e-5: compare relative to their scale.
    scale = np.abs(raw).max()
    np.testing.assert_allclose(out, ema, atol=1e-6 * scale, rtol=1e-5)
    assert np.abs(out - raw).max() > 0.1 * scale
    assert spec.kind == "noise" and spec.input_names == ["z"] and spec.natural_size == 28


def test_conditional_export_names_labels_with_their_cardinality():
    spec = export_network(ACGAN(**TINY_NOISE, num_classes=4))
    assert [(s.name, s.dtype, s.cardinality) for s in spec.inputs] == [
        ("z", "float32", None),
        ("labels", "int32", 4),
    ]


def test_cyclegan_direction_picks_the_generator():
    model = CycleGAN(**TINY_CYCLE)
    forward, backward = export_network(model), export_network(model, "b_to_a")
    assert forward.network is model.generator_ab and forward.direction == "AtoB"
    assert (forward.channels, forward.output_channels) == (1, 3)
    assert backward.network is model.generator_ba and backward.direction == "BtoA"
    assert (backward.channels, backward.output_channels) == (3, 1)
    with pytest.raises(ValueError, match="direction must be"):
        check_direction("sideways")
    with pytest.raises(ValueError, match="CycleGAN only"):
        export_network(
            StyleTransfer(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32),
            "BtoA",
        )


def test_multi_style_network_takes_a_style_index():
    model = StyleTransfer(
        filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32, num_styles=3
    )
    spec = export_network(model)
    assert [(s.name, s.dtype, s.cardinality) for s in spec.inputs] == [
        ("images", "float32", None),
        ("style", "int32", 3),
    ]
    assert spec.multiple == 4 and spec.natural_size == 32


def test_input_size_must_suit_the_network():
    spec = export_network(
        StyleTransfer(filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32)
    )
    assert resolve_input_size(spec) == (32, 32)
    assert resolve_input_size(spec, 64) == (64, 64)
    assert resolve_input_size(spec, (8, 12)) == (8, 12)
    with pytest.raises(ValueError, match="multiples of size_multiple=4"):
        resolve_input_size(spec, 30)
    with pytest.raises(ValueError, match="positive sides"):
        resolve_input_size(spec, (0, 4))
    with pytest.raises(ValueError, match="no input size"):
        resolve_input_size(export_network(DCGAN(**TINY_NOISE)), 32)
