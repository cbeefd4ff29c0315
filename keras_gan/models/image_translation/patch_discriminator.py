"""PatchGAN discriminators: `basic` (70x70 receptive field), `n_layers` and `pixel` (1x1).

Each returns a map of logits, one per overlapping patch, and is conditioned on
whatever channels it is given (pix2pix feeds the input and the output image
concatenated).
"""

import keras

from keras_gan.models.image_translation.norms import normalize, reference_conv, uses_bias


def build_patch_discriminator(
    input_channels: int = 6,
    filters: int = 64,
    num_layers: int = 3,
    norm: str = "batch",
    name: str = "discriminator",
) -> keras.Model:
    """Builds images [N, H, W, C] -> patch logits [N, H', W', 1].

    `num_layers=3` is the reference's `basic` 70x70 PatchGAN. Every 4x4
    convolution pads one pixel of zeros on each side, as PyTorch's `padding=1`.

    Args:
        input_channels: channels of the image(s) judged.
        filters: filters of the first layer (`ndf`), doubled per layer up to 8x.
        num_layers: stride-2 layers.
        norm: `batch`, `instance` or `none`.
    """
    if int(num_layers) < 1:
        raise ValueError(f"num_layers must be >= 1. Received: num_layers={num_layers}")
    bias = uses_bias(norm)
    inputs = keras.Input((None, None, input_channels), name="images")
    x = reference_conv(inputs, filters, 4, 2, "layer0", use_bias=True, pad=1)
    x = keras.layers.LeakyReLU(0.2, name="layer0_lrelu")(x)
    for n in range(1, num_layers + 1):
        label = f"layer{n}"
        strides = 2 if n < num_layers else 1
        x = reference_conv(x, filters * min(2**n, 8), 4, strides, label, bias, pad=1)
        x = normalize(x, norm, f"{label}_norm")
        x = keras.layers.LeakyReLU(0.2, name=f"{label}_lrelu")(x)
    logits = reference_conv(x, 1, 4, 1, "logits", use_bias=True, pad=1)
    logits = keras.layers.Activation("linear", dtype="float32", name="logits")(logits)
    return keras.Model(inputs, logits, name=name)


def build_pixel_discriminator(
    input_channels: int = 6,
    filters: int = 64,
    norm: str = "batch",
    name: str = "discriminator",
) -> keras.Model:
    """Builds images [N, H, W, C] -> per-pixel logits [N, H, W, 1] (1x1 convolutions)."""
    bias = uses_bias(norm)
    inputs = keras.Input((None, None, input_channels), name="images")
    x = reference_conv(inputs, filters, 1, 1, "layer0", use_bias=True)
    x = keras.layers.LeakyReLU(0.2, name="layer0_lrelu")(x)
    x = reference_conv(x, filters * 2, 1, 1, "layer1", use_bias=bias)
    x = normalize(x, norm, "layer1_norm")
    x = keras.layers.LeakyReLU(0.2, name="layer1_lrelu")(x)
    logits = reference_conv(x, 1, 1, 1, "logits", use_bias=bias)
    logits = keras.layers.Activation("linear", dtype="float32", name="logits")(logits)
    return keras.Model(inputs, logits, name=name)
