"""The U-Net generator of pix2pix (`unet_128`, `unet_256`).

An encoder of stride-2 4x4 convolutions down to 1x1 (for the matching image
size) and a decoder of stride-2 transposed convolutions; each decoder level
concatenates the encoder features of the same resolution. The inner 512-filter
decoder blocks apply dropout 0.5.
"""

import keras

from keras_gan.models.image_translation.norms import conv_init, normalize, uses_bias


def build_unet_generator(
    num_downs: int = 8,
    input_channels: int = 3,
    output_channels: int = 3,
    filters: int = 64,
    norm: str = "batch",
    dropout: bool = True,
    name: str = "generator",
) -> keras.Model:
    """Builds images [N, H, W, in] in [-1, 1] -> images [N, H, W, out] in [-1, 1].

    H and W must be multiples of `2**num_downs` (256 for `unet_256`).

    Args:
        num_downs: downsamplings (7 for `unet_128`, 8 for `unet_256`); at least 5.
        filters: filters of the outermost layer (`ngf`); inner layers use up to 8x.
        norm: `batch`, `instance` or `none`.
        dropout: dropout 0.5 in the `num_downs - 5` inner blocks of 8x filters.
    """
    if int(num_downs) < 5:
        raise ValueError(f"num_downs must be >= 5. Received: num_downs={num_downs}")
    bias = uses_bias(norm)
    widths = [filters, filters * 2, filters * 4] + [filters * 8] * (num_downs - 3)
    inputs = keras.Input((None, None, input_channels), name="images")

    def down(x, width, level, with_norm):
        x = keras.layers.Conv2D(
            width,
            4,
            strides=2,
            padding="same",
            use_bias=bias,
            kernel_initializer=conv_init(),
            name=f"down{level}_conv",
        )(x)
        return normalize(x, norm, f"down{level}_norm") if with_norm else x

    # Encoder: the outermost layer has no activation before it and no norm after;
    # the innermost has no norm after.
    skips, x = [], inputs
    for level, width in enumerate(widths):
        if level > 0:
            x = keras.layers.LeakyReLU(0.2, name=f"down{level}_lrelu")(x)
        innermost = level == len(widths) - 1
        x = down(x, width, level, with_norm=0 < level and not innermost)
        skips.append(x)

    # Decoder, from the innermost block outwards.
    for level in range(len(widths) - 1, 0, -1):
        x = keras.layers.ReLU(name=f"up{level}_relu")(x)
        x = keras.layers.Conv2DTranspose(
            widths[level - 1],
            4,
            strides=2,
            padding="same",
            use_bias=bias,
            kernel_initializer=conv_init(),
            name=f"up{level}_conv",
        )(x)
        x = normalize(x, norm, f"up{level}_norm")
        if dropout and 4 <= level < len(widths) - 1:
            x = keras.layers.Dropout(0.5, name=f"up{level}_dropout")(x)
        x = keras.layers.Concatenate(name=f"up{level}_skip")([skips[level - 1], x])
    x = keras.layers.ReLU(name="up0_relu")(x)
    x = keras.layers.Conv2DTranspose(
        output_channels,
        4,
        strides=2,
        padding="same",
        kernel_initializer=conv_init(),
        name="up0_conv",
    )(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="images_out")(x)
    return keras.Model(inputs, outputs, name=name)
