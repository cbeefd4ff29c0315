"""The reference networks: parameter counts option for option, shapes, padding, initialisation."""

import itertools

import numpy as np
import pytest

from keras_gan.models.image_translation import (
    DISCRIMINATOR_TYPES,
    GENERATOR_TYPES,
    NORMS,
    build_discriminator,
    build_generator,
)


# ---------------------------------------------------------------------------
# Parameter counts of pytorch-CycleGAN-and-pix2pix's networks, counted from the
# reference's layer lists (models/networks.py): conv weights k*k*in*out, a bias
# only where the reference has one (instance norm, or the first/last layers),
# batch norm 2 per channel (weight, bias; running stats are buffers), instance
# norm 0 (affine=False). Anchored below on the totals the reference prints.
def _conv(k, cin, cout, bias):
    return k * k * cin * cout + (cout if bias else 0)


def _norm(norm, channels):
    return 2 * channels if norm == "batch" else 0


def reference_unet_count(num_downs, cin, cout, ngf, norm):
    bias = norm == "instance"
    widths = [ngf, ngf * 2, ngf * 4] + [ngf * 8] * (num_downs - 3)
    total = _conv(4, cin, ngf, bias) + _conv(4, 2 * ngf, cout, True)  # outermost block
    for outer, inner in zip(widths[:-2], widths[1:-1], strict=True):  # middle blocks
        total += _conv(4, outer, inner, bias) + _norm(norm, inner)
        total += _conv(4, 2 * inner, outer, bias) + _norm(norm, outer)
    inner = widths[-1]  # innermost: no norm after its down conv
    total += _conv(4, inner, inner, bias) + _conv(4, inner, inner, bias) + _norm(norm, inner)
    return total


def reference_resnet_count(blocks, cin, cout, ngf, norm):
    bias = norm == "instance"
    total = _conv(7, cin, ngf, bias) + _norm(norm, ngf)
    total += _conv(3, ngf, 2 * ngf, bias) + _norm(norm, 2 * ngf)
    total += _conv(3, 2 * ngf, 4 * ngf, bias) + _norm(norm, 4 * ngf)
    total += blocks * 2 * (_conv(3, 4 * ngf, 4 * ngf, bias) + _norm(norm, 4 * ngf))
    total += _conv(3, 4 * ngf, 2 * ngf, bias) + _norm(norm, 2 * ngf)
    total += _conv(3, 2 * ngf, ngf, bias) + _norm(norm, ngf)
    return total + _conv(7, ngf, cout, True)


def reference_nlayer_count(cin, ndf, layers, norm):
    bias = norm == "instance"
    total, previous = _conv(4, cin, ndf, True), ndf
    for n in range(1, layers + 1):
        width = ndf * min(2**n, 8)
        total += _conv(4, previous, width, bias) + _norm(norm, width)
        previous = width
    return total + _conv(4, previous, 1, True)


def reference_pixel_count(cin, ndf, norm):
    bias = norm == "instance"
    return (
        _conv(1, cin, ndf, True)
        + _conv(1, ndf, 2 * ndf, bias)
        + _norm(norm, 2 * ndf)
        + _conv(1, 2 * ndf, 1, bias)
    )


def reference_generator_count(generator_type, cin, cout, ngf, norm):
    if generator_type.startswith("unet"):
        downs = {"unet_128": 7, "unet_256": 8}[generator_type]
        return reference_unet_count(downs, cin, cout, ngf, norm)
    blocks = {"resnet_6blocks": 6, "resnet_9blocks": 9}[generator_type]
    return reference_resnet_count(blocks, cin, cout, ngf, norm)


def trainable_count(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_counts_match_the_totals_the_reference_prints():
    # "[Network G] Total number of parameters : 54.414 M" (pix2pix defaults),
    # "[Network D] ... : 2.769 M"; CycleGAN: G_A 11.378 M, D_A 2.765 M.
    assert reference_generator_count("unet_256", 3, 3, 64, "batch") == 54_413_955
    assert reference_nlayer_count(6, 64, 3, "batch") == 2_768_705
    assert reference_generator_count("resnet_9blocks", 3, 3, 64, "instance") == 11_378_179
    assert reference_nlayer_count(3, 64, 3, "instance") == 2_764_737
    # And the first layer of the default pix2pix generator, as torchsummary shows
    # it in the reference's issue #1614: Conv2d(3, 64, 4x4, no bias) = 3,072.
    assert _conv(4, 3, 64, False) == 3072


@pytest.mark.parametrize(
    "generator_type, norm, channels",
    list(itertools.product(GENERATOR_TYPES, NORMS, [(3, 3), (1, 3)])),
)
def test_generator_parameter_counts_equal_the_reference(generator_type, norm, channels):
    ngf = 16  # counts scale with ngf; 16 keeps the 24 builds fast
    model = build_generator(generator_type, *channels, filters=ngf, norm=norm, dropout=True)
    assert trainable_count(model) == reference_generator_count(generator_type, *channels, ngf, norm)


def test_default_generators_have_the_reference_sizes():
    pix2pix = build_generator("unet_256", 3, 3, 64, "batch", dropout=True)
    cyclegan = build_generator("resnet_9blocks", 3, 3, 64, "instance")
    assert trainable_count(pix2pix) == 54_413_955
    assert trainable_count(cyclegan) == 11_378_179


@pytest.mark.parametrize(
    "discriminator_type, norm, channels",
    list(itertools.product(DISCRIMINATOR_TYPES, NORMS, [3, 6])),
)
def test_discriminator_parameter_counts_equal_the_reference(discriminator_type, norm, channels):
    model = build_discriminator(discriminator_type, channels, 64, num_layers=5, norm=norm)
    if discriminator_type == "pixel":
        expected = reference_pixel_count(channels, 64, norm)
    else:
        layers = 3 if discriminator_type == "basic" else 5
        expected = reference_nlayer_count(channels, 64, layers, norm)
    assert trainable_count(model) == expected


def test_basic_patchgan_sees_70x70_patches_and_gives_30x30_logits_at_256():
    model = build_discriminator("basic", 6, 8, norm="none")
    x = np.zeros((1, 256, 256, 6), "float32")
    assert model(x).shape == (1, 30, 30, 1)
    # Receptive field: a change at one pixel moves only logits within 70 px.
    y = x.copy()
    y[0, 128, 128] = 1.0
    moved = np.abs(np.asarray(model(y)) - np.asarray(model(x)))[0, ..., 0] > 0
    rows = np.nonzero(moved.any(axis=1))[0]
    # Logit i covers input rows [8i - 23, 8i + 46] (70 rows, stride 8).
    assert set(rows) == {i for i in range(30) if 8 * i - 23 <= 128 <= 8 * i + 46}
    assert len(rows) > 0


@pytest.mark.parametrize("generator_type, size", [("unet_128", 128), ("resnet_6blocks", 36)])
def test_generators_keep_the_image_size_and_range(generator_type, size):
    model = build_generator(generator_type, 1, 3, filters=8, norm="instance")
    x = np.random.default_rng(0).uniform(-1, 1, (2, size, size, 1)).astype("float32")
    y = np.asarray(model(x))
    assert y.shape == (2, size, size, 3)
    assert np.abs(y).max() <= 1.0
    # Fully convolutional: a larger image of a valid size works too.
    bigger = size * 2
    assert model(np.zeros((1, bigger, bigger, 1), "float32")).shape == (1, bigger, bigger, 3)


def test_convolutions_start_from_normal_0_02_and_batch_norm_from_normal_1_0_02():
    model = build_generator("unet_256", 3, 3, 64, "batch", dropout=True)
    kernel = model.get_layer("down3_conv").kernel.numpy()
    assert abs(kernel.mean()) < 1e-3 and abs(kernel.std() - 0.02) < 1e-3
    gamma = model.get_layer("down3_norm").gamma.numpy()
    assert abs(gamma.mean() - 1.0) < 0.01 and abs(gamma.std() - 0.02) < 0.01


def test_unet_applies_dropout_in_the_inner_blocks_only_during_training():
    model = build_generator("unet_256", 3, 3, 8, "instance", dropout=True)
    dropouts = [layer.name for layer in model.layers if "dropout" in layer.name]
    assert dropouts == ["up6_dropout", "up5_dropout", "up4_dropout"]
    x = np.random.default_rng(1).uniform(-1, 1, (1, 256, 256, 3)).astype("float32")
    np.testing.assert_array_equal(model(x, training=False), model(x, training=False))
    assert not np.allclose(model(x, training=True), model(x, training=True))


def test_unknown_options_are_named():
    with pytest.raises(ValueError, match="generator type 'unet_512'"):
        build_generator("unet_512")
    with pytest.raises(ValueError, match="discriminator type 'patch'"):
        build_discriminator("patch", 3)
    with pytest.raises(ValueError, match="norm 'layer'"):
        build_generator("unet_128", norm="layer")
