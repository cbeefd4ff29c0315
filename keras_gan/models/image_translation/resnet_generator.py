"""The ResNet generator of CycleGAN (`resnet_6blocks`, `resnet_9blocks`), after Johnson et al.

A 7x7 convolution, two stride-2 downsamplings, residual blocks at 4x the base
filters, two stride-2 transposed convolutions and a 7x7 convolution to the
output; reflection padding around the 7x7 and the residual 3x3 convolutions.
"""

import keras

from keras_gan.layers import ReflectionPadding2D
from keras_gan.models.image_translation.norms import (
    conv_init,
    normalize,
    reference_conv,
    uses_bias,
)


def build_resnet_generator(
    num_blocks: int = 9,
    input_channels: int = 3,
    output_channels: int = 3,
    filters: int = 64,
    norm: str = "instance",
    dropout: bool = False,
    name: str = "generator",
) -> keras.Model:
    """Builds images [N, H, W, in] in [-1, 1] -> images [N, H, W, out] in [-1, 1].

    H and W must be multiples of 4.

    Args:
        num_blocks: residual blocks (6 or 9 in the reference).
        filters: filters of the first layer (`ngf`); the blocks use 4x.
        norm: `batch`, `instance` or `none`.
        dropout: dropout 0.5 between the two convolutions of each block.
    """
    if int(num_blocks) < 0:
        raise ValueError(f"num_blocks must be >= 0. Received: num_blocks={num_blocks}")
    bias = uses_bias(norm)

    def conv(x, width, kernel, strides, label, use_bias=bias):
        # The stride-2 convolutions are PyTorch's Conv2d(k=3, s=2, padding=1).
        return reference_conv(x, width, kernel, strides, label, use_bias, pad=strides // 2)

    inputs = keras.Input((None, None, input_channels), name="images")
    x = ReflectionPadding2D(3, name="stem_pad")(inputs)
    x = conv(x, filters, 7, 1, "stem")
    x = keras.layers.ReLU(name="stem_relu")(normalize(x, norm, "stem_norm"))
    for i in range(2):
        label = f"down{i}"
        x = conv(x, filters * 2 ** (i + 1), 3, 2, label)
        x = keras.layers.ReLU(name=f"{label}_relu")(normalize(x, norm, f"{label}_norm"))
    width = filters * 4
    for b in range(num_blocks):
        label = f"block{b}"
        h = ReflectionPadding2D(1, name=f"{label}_pad_a")(x)
        h = conv(h, width, 3, 1, f"{label}_a")
        h = keras.layers.ReLU(name=f"{label}_relu")(normalize(h, norm, f"{label}_norm_a"))
        if dropout:
            h = keras.layers.Dropout(0.5, name=f"{label}_dropout")(h)
        h = ReflectionPadding2D(1, name=f"{label}_pad_b")(h)
        h = normalize(conv(h, width, 3, 1, f"{label}_b"), norm, f"{label}_norm_b")
        x = keras.layers.Add(name=f"{label}_add")([x, h])
    for i in range(2):
        label = f"up{i}"
        # PyTorch's ConvTranspose2d(k=3, s=2, padding=1, output_padding=1):
        # the full 2H+1 output cropped by one pixel at the top and the left.
        x = keras.layers.Conv2DTranspose(
            filters * 2 ** (1 - i),
            3,
            strides=2,
            padding="valid",
            use_bias=bias,
            kernel_initializer=conv_init(),
            name=f"{label}_conv",
        )(x)
        x = keras.layers.Cropping2D(((1, 0), (1, 0)), name=f"{label}_crop")(x)
        x = keras.layers.ReLU(name=f"{label}_relu")(normalize(x, norm, f"{label}_norm"))
    x = ReflectionPadding2D(3, name="head_pad")(x)
    x = conv(x, output_channels, 7, 1, "head", use_bias=True)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="images_out")(x)
    return keras.Model(inputs, outputs, name=name)
