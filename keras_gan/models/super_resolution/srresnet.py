"""The SRGAN generator (Ledig et al., 2017): SRResNet, a residual network with sub-pixel upsampling."""

import keras

from keras_gan.layers.inference_clip import InferenceClip
from keras_gan.layers.resize_upsampling_2d import INTERPOLATIONS, ResizeUpsampling2D
from keras_gan.layers.sub_pixel_upsampling import SubPixelUpsampling


def upsampling_factors(scale: int) -> list[int]:
    """The sub-pixel stages a scale takes: `[2] * log2(scale)` for powers of two, `[3]` for 3."""
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 2:
        raise ValueError(f"scale must be 2, 3, 4 or 8. Received: scale={scale!r}")
    if scale == 3:
        return [3]
    if scale & (scale - 1) or scale > 8:
        raise ValueError(f"scale must be 2, 3, 4 or 8. Received: scale={scale!r}")
    return [2] * (scale.bit_length() - 1)


def check_positive(**values) -> None:
    """Raises `ValueError` naming the first argument that is not a positive int."""
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int. Received: {name}={value!r}")


def check_global_skip(global_skip: str | None) -> None:
    if global_skip is not None and global_skip not in INTERPOLATIONS:
        raise ValueError(
            f"global_skip must be None, 'nearest' or 'bilinear'. Received: global_skip={global_skip!r}"
        )


def image_skip(inputs, correction, scale: int, global_skip: str):
    """The low-res input resized by `scale` (`global_skip` interpolation) plus the
    network's `correction`; linear, clipped to [-1, 1] at inference only."""
    base = ResizeUpsampling2D(scale, global_skip, name="input_upsample")(inputs)
    x = keras.layers.Add(name="skip_add")([base, correction])
    return InferenceClip(-1.0, 1.0, dtype="float32", name="high_res")(x)


def zero_output_conv(global_skip: str | None) -> str:
    """The last convolution's initializer: zeros with a global skip, so that a new
    network starts as the plain resize and learns only the detail it lacks."""
    return "glorot_uniform" if global_skip is None else "zeros"


ACTIVATIONS = ("prelu", "leaky_relu")


def _prelu(x, name):
    # One slope per channel, shared over height and width so the sides stay dynamic;
    # PyTorch's nn.PReLU starting slope.
    return keras.layers.PReLU(
        alpha_initializer=keras.initializers.Constant(0.25), shared_axes=[1, 2], name=name
    )(x)


def _conv(x, filters, kernel, name, initializer="glorot_uniform"):
    return keras.layers.Conv2D(
        filters, kernel, padding="same", kernel_initializer=initializer, name=name
    )(x)


def build_srresnet(
    scale: int = 4,
    filters: int = 64,
    num_blocks: int = 16,
    batch_norm: bool = True,
    channels: int = 3,
    global_skip: str | None = None,
    activation: str = "prelu",
    name: str = "generator",
) -> keras.Model:
    """Builds low-res images [N, h, w, C] -> high-res images [N, h * scale, w * scale, C].

    The paper's generator: a 9x9 convolution and PReLU; `num_blocks` residual
    blocks (3x3 conv, batch norm, PReLU, 3x3 conv, batch norm, added to the
    block's input); a 3x3 conv and batch norm added to the first layer's output
    (the long skip); one sub-pixel stage per factor of the scale (3x3 conv to
    `filters * factor**2` channels, depth-to-space, PReLU); a 9x9 convolution
    to `channels`. The output goes through tanh, so it lies in [-1, 1] like the
    [-1, 1] input. Height and width are dynamic.

    With `global_skip` ("bilinear" or "nearest", VDSR's global residual learning),
    the network instead adds its output to the input resized by `scale` (one
    TFLite resize op): it starts as that resize (the last convolution starts at
    zero) and only learns the missing detail, so a small network trained briefly
    already beats bicubic. The sum is linear, clipped to [-1, 1] at inference
    (`InferenceClip`).

    Args:
        scale: 2, 3, 4 or 8 (two x2 stages for 4, one x3 stage for 3).
        filters: width of every layer (64 in the paper).
        num_blocks: residual blocks (16 in the paper).
        batch_norm: batch normalization in the residual blocks and the long skip
            (the paper has it; EDSR-style networks drop it).
        channels: image channels.
        global_skip: None (the paper), "bilinear" or "nearest".
        activation: "prelu" (the paper) or "leaky_relu" (slope 0.2): XNNPACK runs
            int8 LEAKY_RELU but not int8 PRELU, so full-int8 TFLite models with
            LeakyReLU stay in one delegate partition and run several times faster.
        name: the model's name.
    """
    factors = upsampling_factors(scale)
    check_positive(filters=filters, channels=channels)
    check_global_skip(global_skip)
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {ACTIVATIONS}. Received: activation={activation!r}"
        )

    def act(x, label):
        if activation == "prelu":
            return _prelu(x, label)
        return keras.layers.LeakyReLU(0.2, name=label.replace("prelu", "lrelu"))(x)

    if isinstance(num_blocks, bool) or not isinstance(num_blocks, int) or num_blocks < 0:
        raise ValueError(f"num_blocks must be an int >= 0. Received: num_blocks={num_blocks!r}")

    def norm(x, label):
        if not batch_norm:
            return x
        return keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=label)(x)

    inputs = keras.Input((None, None, channels), name="low_res")
    x = act(_conv(inputs, filters, 9, "stem_conv"), "stem_prelu")
    skip = x
    for b in range(num_blocks):
        label = f"block{b}"
        h = _conv(x, filters, 3, f"{label}_conv_a")
        h = act(norm(h, f"{label}_norm_a"), f"{label}_prelu")
        h = norm(_conv(h, filters, 3, f"{label}_conv_b"), f"{label}_norm_b")
        x = keras.layers.Add(name=f"{label}_add")([x, h])
    x = norm(_conv(x, filters, 3, "trunk_conv"), "trunk_norm")
    x = keras.layers.Add(name="trunk_add")([skip, x])
    for i, factor in enumerate(factors):
        x = _conv(x, filters * factor**2, 3, f"up{i}_conv")
        x = SubPixelUpsampling(factor, name=f"up{i}_shuffle")(x)
        x = act(x, f"up{i}_prelu")
    x = _conv(x, channels, 9, "head_conv", zero_output_conv(global_skip))
    if global_skip is not None:
        return keras.Model(inputs, image_skip(inputs, x, scale, global_skip), name=name)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="high_res")(x)
    return keras.Model(inputs, outputs, name=name)
