"""The ESRGAN generator (Wang et al., 2018): residual-in-residual dense blocks (RRDB), no batch norm."""

import keras

from keras_gan.layers.inference_clip import InferenceClip
from keras_gan.layers.sub_pixel_upsampling import SubPixelUpsampling
from keras_gan.models.super_resolution.srresnet import (
    check_global_skip,
    check_positive,
    image_skip,
    upsampling_factors,
    zero_output_conv,
)


def _dense_block_init():
    # ESRGAN scales the (Kaiming normal) initial weights of the dense blocks by 0.1.
    return keras.initializers.VarianceScaling(
        0.02, mode="fan_in", distribution="untruncated_normal"
    )


def _lrelu(x, name):
    return keras.layers.LeakyReLU(0.2, name=name)(x)


def _conv(x, filters, name, initializer="glorot_uniform"):
    return keras.layers.Conv2D(
        filters, 3, padding="same", kernel_initializer=initializer, name=name
    )(x)


def _scaled_residual(x, h, residual_scale, name):
    h = keras.layers.Rescaling(residual_scale, name=f"{name}_scale")(h)
    return keras.layers.Add(name=f"{name}_add")([x, h])


def _dense_block(x, filters, growth_channels, residual_scale, name):
    """Five 3x3 convolutions, each seeing the block input and every earlier output."""
    features = [x]
    for i in range(4):
        inputs = (
            features[0] if i == 0 else keras.layers.Concatenate(name=f"{name}_cat{i}")(features)
        )
        h = _conv(inputs, growth_channels, f"{name}_conv{i}", _dense_block_init())
        features.append(_lrelu(h, f"{name}_lrelu{i}"))
    h = keras.layers.Concatenate(name=f"{name}_cat4")(features)
    h = _conv(h, filters, f"{name}_conv4", _dense_block_init())
    return _scaled_residual(x, h, residual_scale, name)


def build_rrdbnet(
    scale: int = 4,
    filters: int = 64,
    growth_channels: int = 32,
    num_blocks: int = 23,
    residual_scale: float = 0.2,
    channels: int = 3,
    global_skip: str | None = None,
    name: str = "generator",
) -> keras.Model:
    """Builds low-res images [N, h, w, C] -> high-res images [N, h * scale, w * scale, C].

    ESRGAN's RRDBNet: a 3x3 convolution; `num_blocks` residual-in-residual dense
    blocks (three dense blocks of five convolutions with LeakyReLU 0.2, each
    dense block's output scaled by `residual_scale` and added to its input, the
    three together scaled and added again); a 3x3 convolution added to the first
    layer's output; the upsampling; a 3x3 conv with LeakyReLU and a 3x3 conv to
    `channels`. No batch normalization anywhere.

    Upsampling is sub-pixel, as in SRGAN: per factor a 3x3 conv to
    `filters * factor**2` channels, depth-to-space and LeakyReLU (ESRGAN itself
    uses nearest-neighbour upsampling and a conv). The output is linear, clipped
    to [-1, 1] at inference only (`InferenceClip`). Height and width are dynamic.
    With `global_skip` ("bilinear" or "nearest") the output is added to the input
    resized by `scale`, as in `build_srresnet`.

    Args:
        scale: 2, 3, 4 or 8.
        filters: width of the trunk (64 in the paper).
        growth_channels: channels each dense-block convolution adds (32).
        num_blocks: RRDB blocks (23).
        residual_scale: the residual scaling factor (0.2).
        channels: image channels.
        global_skip: None (the paper), "bilinear" or "nearest".
        name: the model's name.
    """
    factors = upsampling_factors(scale)
    check_positive(filters=filters, growth_channels=growth_channels, channels=channels)
    check_global_skip(global_skip)
    if isinstance(num_blocks, bool) or not isinstance(num_blocks, int) or num_blocks < 0:
        raise ValueError(f"num_blocks must be an int >= 0. Received: num_blocks={num_blocks!r}")
    if not 0.0 < float(residual_scale) <= 1.0:
        raise ValueError(
            f"residual_scale must be in (0, 1]. Received: residual_scale={residual_scale!r}"
        )
    inputs = keras.Input((None, None, channels), name="low_res")
    x = _conv(inputs, filters, "stem_conv")
    trunk = x
    for b in range(num_blocks):
        h = trunk
        for d in range(3):
            h = _dense_block(h, filters, growth_channels, residual_scale, f"rrdb{b}_dense{d}")
        trunk = _scaled_residual(trunk, h, residual_scale, f"rrdb{b}")
    trunk = _conv(trunk, filters, "trunk_conv")
    x = keras.layers.Add(name="trunk_add")([x, trunk])
    for i, factor in enumerate(factors):
        x = _conv(x, filters * factor**2, f"up{i}_conv")
        x = SubPixelUpsampling(factor, name=f"up{i}_shuffle")(x)
        x = _lrelu(x, f"up{i}_lrelu")
    x = _lrelu(_conv(x, filters, "head_conv_a"), "head_lrelu")
    x = _conv(x, channels, "head_conv_b", zero_output_conv(global_skip))
    if global_skip is not None:
        return keras.Model(inputs, image_skip(inputs, x, scale, global_skip), name=name)
    x = keras.layers.Activation("linear", dtype="float32", name="linear_out")(x)
    outputs = InferenceClip(-1.0, 1.0, dtype="float32", name="high_res")(x)
    return keras.Model(inputs, outputs, name=name)
