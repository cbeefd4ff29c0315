"""Pix2PixHD's networks (Wang et al., 2018) as NVIDIA/pix2pixHD `models/networks.py` builds them.

- `build_global_generator`: `GlobalGenerator`, a 7x7 stem, `n_downsampling` stride-2
  3x3 convolutions, `n_blocks` residual blocks, as many transposed convolutions and a 7x7
  convolution to tanh; reflection padding around the 7x7 and residual convolutions.
- `build_local_enhancer`: `LocalEnhancer`, the global generator at `ngf * 2 **
  n_local_enhancers` without its last three layers (pad, 7x7, tanh) on the input
  average-pooled `n_local_enhancers` times, its features added to each enhancer's
  downsampled features (outermost last), each enhancer with `n_blocks_local` blocks.
- `build_encoder`: `Encoder`, the feature encoder (no residual blocks, tanh features),
  then instance-wise average pooling: each instance's features replaced by their mean.
- `build_multiscale_discriminator`: `MultiscaleDiscriminator` with `getIntermFeat`:
  `num_d` PatchGANs (`NLayerDiscriminator`, 4x4 convolutions padded by 2), each on the
  input average-pooled once more (3x3, stride 2, padding 1, `count_include_pad=False`),
  returning every layer's output. The Keras model returns one flat list, scale 0 (full
  resolution) first, `n_layers + 2` tensors per scale, the prediction last.

Every convolution has a bias, as the reference's (its norm layers do not change that).
The `instance` norm is PyTorch's `InstanceNorm2d` default: `affine=False`, eps 1e-5
(`GroupNormalization(groups=-1, center=False, scale=False)`); `batch` is the reference's
affine batch norm. Layer names say which part a weight belongs to: `global_*` (the
global generator), `local{n}_*` (enhancer n, n = n_local_enhancers the outermost).
"""

from __future__ import annotations

import keras

from keras_gan.layers import ReflectionPadding2D
from keras_gan.models.image_translation.norms import check_norm, conv_init, normalize
from keras_gan.models.pix2pixhd.pix2pixhd_layers import (
    InstanceAveragePooling,
    PaddingExcludedAveragePooling2D,
)

GENERATOR_TYPES = ("global", "local")


def _conv(x, width: int, kernel: int, strides: int, label: str, pad: int = 0):
    """PyTorch's `Conv2d(kernel, strides, padding=pad)` with a bias: zero padding, then valid."""
    if pad:
        x = keras.layers.ZeroPadding2D(pad, name=f"{label}_pad")(x)
    return keras.layers.Conv2D(
        width, kernel, strides=strides, kernel_initializer=conv_init(), name=f"{label}_conv"
    )(x)


def _norm_relu(x, norm: str, label: str):
    return keras.layers.ReLU(name=f"{label}_relu")(normalize(x, norm, f"{label}_norm"))


def _stem(x, width: int, norm: str, label: str):
    x = ReflectionPadding2D(3, name=f"{label}_reflect")(x)
    return _norm_relu(_conv(x, width, 7, 1, label), norm, label)


def _down(x, width: int, norm: str, label: str):
    return _norm_relu(_conv(x, width, 3, 2, label, pad=1), norm, label)


def _up(x, width: int, norm: str, label: str):
    # ConvTranspose2d(k=3, s=2, padding=1, output_padding=1): the full 2H + 1 output
    # less its first row and column.
    x = keras.layers.Conv2DTranspose(
        width, 3, strides=2, kernel_initializer=conv_init(), name=f"{label}_conv"
    )(x)
    x = keras.layers.Cropping2D(((1, 0), (1, 0)), name=f"{label}_crop")(x)
    return _norm_relu(x, norm, label)


def _residual_block(x, width: int, norm: str, label: str):
    h = ReflectionPadding2D(1, name=f"{label}_reflect_a")(x)
    h = _norm_relu(_conv(h, width, 3, 1, f"{label}_a"), norm, f"{label}_a")
    h = ReflectionPadding2D(1, name=f"{label}_reflect_b")(h)
    h = normalize(_conv(h, width, 3, 1, f"{label}_b"), norm, f"{label}_b_norm")
    return keras.layers.Add(name=f"{label}_add")([x, h])


def _head(x, channels: int, label: str):
    x = ReflectionPadding2D(3, name=f"{label}_reflect")(x)
    x = _conv(x, channels, 7, 1, label)
    return keras.layers.Activation("tanh", dtype="float32", name=f"{label}_tanh")(x)


def _check_counts(**counts) -> None:
    for name, value in counts.items():
        if int(value) < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")


def _global_features(x, ngf: int, n_downsampling: int, n_blocks: int, norm: str):
    """The global generator up to (not including) its head: `ngf` channels at input size."""
    x = _stem(x, ngf, norm, "global_stem")
    for i in range(n_downsampling):
        x = _down(x, ngf * 2 ** (i + 1), norm, f"global_down{i}")
    for b in range(n_blocks):
        x = _residual_block(x, ngf * 2**n_downsampling, norm, f"global_block{b}")
    for i in range(n_downsampling):
        x = _up(x, ngf * 2 ** (n_downsampling - i - 1), norm, f"global_up{i}")
    return x


def build_global_generator(
    input_channels: int,
    output_channels: int = 3,
    ngf: int = 64,
    n_downsampling: int = 4,
    n_blocks: int = 9,
    norm: str = "instance",
    name: str = "generator",
) -> keras.Model:
    """`GlobalGenerator`: [N, H, W, input_channels] -> images [N, H, W, output_channels].

    H and W must be multiples of `2 ** n_downsampling`.
    """
    _check_counts(n_downsampling=n_downsampling, n_blocks=n_blocks)
    check_norm(norm)
    inputs = keras.Input((None, None, int(input_channels)), name="semantic_input")
    x = _global_features(inputs, int(ngf), int(n_downsampling), int(n_blocks), norm)
    return keras.Model(inputs, _head(x, int(output_channels), "global_head"), name=name)


def build_local_enhancer(
    input_channels: int,
    output_channels: int = 3,
    ngf: int = 32,
    n_downsample_global: int = 3,
    n_blocks_global: int = 9,
    n_local_enhancers: int = 1,
    n_blocks_local: int = 3,
    norm: str = "instance",
    name: str = "generator",
) -> keras.Model:
    """`LocalEnhancer`: the same mapping as the global generator, at `2 ** n_local_enhancers`
    times its resolution. H and W must be multiples of `2 ** (n_downsample_global +
    n_local_enhancers)`."""
    _check_counts(n_downsample_global=n_downsample_global, n_blocks_global=n_blocks_global)
    _check_counts(n_blocks_local=n_blocks_local)
    if int(n_local_enhancers) < 1:
        raise ValueError(
            f"A local generator needs n_local_enhancers >= 1. Received: {n_local_enhancers}"
        )
    check_norm(norm)
    ngf, enhancers = int(ngf), int(n_local_enhancers)
    inputs = keras.Input((None, None, int(input_channels)), name="semantic_input")
    pyramid = [inputs]
    for i in range(enhancers):
        pyramid.append(PaddingExcludedAveragePooling2D(name=f"input_downsample{i}")(pyramid[-1]))
    x = _global_features(
        pyramid[-1], ngf * 2**enhancers, int(n_downsample_global), int(n_blocks_global), norm
    )
    for n in range(1, enhancers + 1):
        width = ngf * 2 ** (enhancers - n)
        label = f"local{n}"
        h = _stem(pyramid[enhancers - n], width, norm, f"{label}_stem")
        h = _down(h, width * 2, norm, f"{label}_down")
        x = keras.layers.Add(name=f"{label}_add_global")([h, x])
        for b in range(int(n_blocks_local)):
            x = _residual_block(x, width * 2, norm, f"{label}_block{b}")
        x = _up(x, width, norm, f"{label}_up")
    return keras.Model(inputs, _head(x, int(output_channels), f"local{enhancers}_head"), name=name)


def build_generator(
    generator_type: str,
    input_channels: int,
    output_channels: int = 3,
    ngf: int = 64,
    n_downsample_global: int = 4,
    n_blocks_global: int = 9,
    n_local_enhancers: int = 1,
    n_blocks_local: int = 3,
    norm: str = "instance",
) -> keras.Model:
    """`define_G`: `global` or `local` (the reference's `--netG`)."""
    if generator_type == "global":
        return build_global_generator(
            input_channels, output_channels, ngf, n_downsample_global, n_blocks_global, norm
        )
    if generator_type == "local":
        return build_local_enhancer(
            input_channels,
            output_channels,
            ngf,
            n_downsample_global,
            n_blocks_global,
            n_local_enhancers,
            n_blocks_local,
            norm,
        )
    raise ValueError(
        f"generator_type must be one of {GENERATOR_TYPES}. Received: {generator_type!r}"
    )


def build_encoder(
    feat_num: int = 3,
    image_channels: int = 3,
    nef: int = 16,
    n_downsampling: int = 4,
    norm: str = "instance",
    name: str = "encoder",
) -> keras.Model:
    """`Encoder`: [images, instance ids] -> features [N, H, W, feat_num], constant per instance.

    Inputs: images [N, H, W, image_channels] in [-1, 1] and int instance ids [N, H, W];
    H and W multiples of `2 ** n_downsampling`.
    """
    _check_counts(n_downsampling=n_downsampling)
    check_norm(norm)
    nef, n_downsampling = int(nef), int(n_downsampling)
    images = keras.Input((None, None, int(image_channels)), name="images")
    instances = keras.Input((None, None), dtype="int32", name="instances")
    x = _stem(images, nef, norm, "encoder_stem")
    for i in range(n_downsampling):
        x = _down(x, nef * 2 ** (i + 1), norm, f"encoder_down{i}")
    for i in range(n_downsampling):
        x = _up(x, nef * 2 ** (n_downsampling - i - 1), norm, f"encoder_up{i}")
    features = _head(x, int(feat_num), "encoder_head")
    pooled = InstanceAveragePooling(name="instance_average")([features, instances])
    return keras.Model([images, instances], pooled, name=name)


def build_multiscale_discriminator(
    input_channels: int,
    ndf: int = 64,
    n_layers: int = 3,
    num_d: int = 2,
    norm: str = "instance",
    name: str = "discriminator",
) -> keras.Model:
    """`MultiscaleDiscriminator(getIntermFeat=True)`: a flat list of `num_d * (n_layers + 2)`
    feature maps, scale 0 (full resolution) first, each scale's prediction last."""
    if int(n_layers) < 1 or int(num_d) < 1:
        raise ValueError(f"n_layers and num_d must be >= 1. Received: {n_layers}, {num_d}")
    check_norm(norm)
    inputs = keras.Input((None, None, int(input_channels)), name="pairs")
    outputs, x = [], inputs
    for scale in range(int(num_d)):
        if scale:
            x = PaddingExcludedAveragePooling2D(name=f"d_downsample{scale}")(x)
        label = f"scale{scale}"
        h = _conv(x, int(ndf), 4, 2, f"{label}_layer0", pad=2)
        h = keras.layers.LeakyReLU(0.2, name=f"{label}_layer0_lrelu")(h)
        outputs.append(h)
        width = int(ndf)
        for n in range(1, int(n_layers) + 1):
            width = min(width * 2, 512)
            strides = 2 if n < int(n_layers) else 1
            h = _conv(h, width, 4, strides, f"{label}_layer{n}", pad=2)
            h = normalize(h, norm, f"{label}_layer{n}_norm")
            h = keras.layers.LeakyReLU(0.2, name=f"{label}_layer{n}_lrelu")(h)
            outputs.append(h)
        head = _conv(h, 1, 4, 1, f"{label}_layer{int(n_layers) + 1}", pad=2)
        outputs.append(
            keras.layers.Activation("linear", dtype="float32", name=f"{label}_out")(head)
        )
    return keras.Model(inputs, outputs, name=name)
