"""StarGAN's generator and discriminator (yunjey/stargan `model.py`), as functional models.

Padding follows the reference: `same` gives PyTorch's `padding=3` (7x7), `padding=1`
(3x3, and 4x4 at stride 2) and the transposed 4x4 stride-2 convolution's `padding=1`.
Weights start as PyTorch's default (`kaiming_uniform(a=sqrt(5))`: uniform within
`1 / sqrt(fan_in)`), biases within the same bound.
"""

from __future__ import annotations

import math

import keras

from keras_gan.layers import SpatialConcatenate


def torch_default_kernel() -> keras.initializers.Initializer:
    """PyTorch's default conv init: uniform in +-1/sqrt(fan_in) (fan_in as Keras counts it)."""
    return keras.initializers.VarianceScaling(1.0 / 3.0, "fan_in", "uniform")


def torch_default_bias(fan_in: int) -> keras.initializers.Initializer:
    bound = 1.0 / math.sqrt(fan_in)
    return keras.initializers.RandomUniform(-bound, bound)


def instance_norm(name: str) -> keras.layers.Layer:
    """`InstanceNorm2d(affine=True)`: per-example, per-channel statistics, scale and offset."""
    return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5, name=name)


def _conv(x, filters, kernel, strides, name, transpose=False):
    layer = keras.layers.Conv2DTranspose if transpose else keras.layers.Conv2D
    return layer(
        filters,
        kernel,
        strides=strides,
        padding="same",
        use_bias=False,
        kernel_initializer=torch_default_kernel(),
        name=name,
    )(x)


def _conv_norm_relu(x, filters, kernel, strides, name, transpose=False):
    x = _conv(x, filters, kernel, strides, f"{name}_conv", transpose)
    x = instance_norm(f"{name}_norm")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def build_generator(
    domain_dim: int = 5,
    conv_dim: int = 64,
    repeat_num: int = 6,
    channels: int = 3,
    name: str = "generator",
) -> keras.Model:
    """`[images [N, H, W, C], domains [N, domain_dim]]` -> images [N, H, W, C] in [-1, 1].

    H and W must be multiples of 4 (two stride-2 down-samplings). As the reference: the
    domain vector tiled over the image and concatenated, 7x7 conv, two 4x4 stride-2
    convs, `repeat_num` residual blocks, two 4x4 stride-2 transposed convs, 7x7 conv
    and tanh; every conv without bias, each followed by instance norm with affine
    parameters and ReLU (but the last).
    """
    images = keras.Input((None, None, channels), name="images")
    domains = keras.Input((domain_dim,), name="domains")
    x = SpatialConcatenate(name="concat_domains")([images, domains])
    x = _conv_norm_relu(x, conv_dim, 7, 1, "initial")
    width = conv_dim
    for index in range(2):
        width *= 2
        x = _conv_norm_relu(x, width, 4, 2, f"down{index}")
    for index in range(repeat_num):
        label = f"block{index}"
        y = _conv_norm_relu(x, width, 3, 1, f"{label}_a")
        y = _conv(y, width, 3, 1, f"{label}_b_conv")
        y = instance_norm(f"{label}_b_norm")(y)
        x = keras.layers.Add(name=f"{label}_add")([x, y])
    for index in range(2):
        width //= 2
        x = _conv_norm_relu(x, width, 4, 2, f"up{index}", transpose=True)
    x = _conv(x, channels, 7, 1, "final_conv")
    outputs = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model([images, domains], outputs, name=name)


def check_discriminator_size(image_size: int, repeat_num: int) -> int:
    """The classification head's kernel, `image_size / 2**repeat_num`, checked."""
    kernel = int(image_size) // 2 ** int(repeat_num)
    if kernel < 1 or kernel * 2 ** int(repeat_num) != int(image_size):
        raise ValueError(
            f"image_size must be a multiple of 2**d_repeat_num = {2 ** int(repeat_num)}. "
            f"Received: image_size={image_size}, d_repeat_num={repeat_num}"
        )
    return kernel


def build_discriminator(
    image_size: int = 128,
    conv_dim: int = 64,
    domain_dim: int = 5,
    repeat_num: int = 6,
    channels: int = 3,
    name: str = "discriminator",
) -> keras.Model:
    """images [N, S, S, C] -> `[source [N, S/2**r, S/2**r, 1], domain logits [N, domain_dim]]`.

    PatchGAN: `repeat_num` 4x4 stride-2 convs with bias and LeakyReLU(0.01), doubling
    the width from `conv_dim`; then a 3x3 source conv and a domain-classification
    conv whose kernel covers the whole map (`image_size / 2**repeat_num`), both
    without bias.
    """
    kernel = check_discriminator_size(image_size, repeat_num)
    images = keras.Input((image_size, image_size, channels), name="images")
    x, width, fan_in = images, conv_dim, channels * 16
    for index in range(repeat_num):
        x = keras.layers.Conv2D(
            width,
            4,
            strides=2,
            padding="same",
            kernel_initializer=torch_default_kernel(),
            bias_initializer=torch_default_bias(fan_in),
            name=f"conv{index}",
        )(x)
        x = keras.layers.LeakyReLU(0.01, name=f"lrelu{index}")(x)
        fan_in, width = width * 16, width * 2
    source = keras.layers.Conv2D(
        1,
        3,
        padding="same",
        use_bias=False,
        kernel_initializer=torch_default_kernel(),
        name="source",
    )(x)
    logits = keras.layers.Conv2D(
        domain_dim,
        kernel,
        use_bias=False,
        kernel_initializer=torch_default_kernel(),
        name="domain_conv",
    )(x)
    logits = keras.layers.Reshape((domain_dim,), name="domain_logits")(logits)
    source = keras.layers.Activation("linear", dtype="float32", name="source_out")(source)
    logits = keras.layers.Activation("linear", dtype="float32", name="domain_out")(logits)
    return keras.Model(images, [source, logits], name=name)
