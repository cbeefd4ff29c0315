"""The image transformation network of fast style transfer (Johnson et al., 2016).

Johnson's network (`c9s1-32, d64, d128, R128 x5, u64, u32, c9s1-3`) with the
changes later work settled on:

- reflection padding before every convolution (no border artefacts, output the
  size of the input; Johnson padded the input once by 40 pixels and used valid
  convolutions);
- instance normalization (Ulyanov et al.) instead of batch normalization, or
  conditional instance normalization (Dumoulin et al.) to learn several styles
  in one network; Johnson's batch normalization remains an option
  (`normalization="batch"`): at inference it uses moving statistics, so the
  converter folds it into the preceding convolution and a full-int8 TFLite
  graph is convolutions, pads, resizes and adds only (instance normalization's
  per-image `MEAN`/`RSQRT` statistics do not survive int8 and keep much of the
  graph in float);
- nearest-neighbour 2x upsampling followed by a convolution instead of a
  transposed convolution, which avoids checkerboard artefacts (Odena et al.,
  2016);
- a tanh output in [-1, 1] (Johnson scaled it to pixel values).

Every op converts to a TFLite builtin: `STRIDED_SLICE` and `CONCATENATION` (the
reflection padding), `CONV_2D`, `MEAN`,
`RSQRT`, `RESIZE_NEAREST_NEIGHBOR`, `GATHER` and elementwise ops (with batch
normalization: no `MEAN`, `RSQRT` or `GATHER`).
"""

import keras

from keras_gan.layers.conditional_instance_normalization import ConditionalInstanceNormalization
from keras_gan.layers.reflection_padding_2d import ReflectionPadding2D
from keras_gan.layers.resize_upsampling_2d import ResizeUpsampling2D

# Two stride-2 convolutions: the input sides must be multiples of 4.
SIZE_MULTIPLE = 4
# The 9x9 convolutions' reflection padding (4 pixels) must be smaller than the side.
MIN_SIDE = 8
STYLE_INPUTS = ("index", "weights")
NORMALIZATIONS = ("instance", "batch")


def build_transform_network(
    filters: int = 32,
    num_residual_blocks: int = 5,
    num_styles: int = 1,
    style_input: str = "index",
    normalization: str = "instance",
    name: str = "transform_network",
) -> keras.Model:
    """Builds Johnson's image transformation network.

    Single style (`num_styles=1`): images `[N, H, W, 3]` in [-1, 1] -> images
    `[N, H, W, 3]` in [-1, 1], instance (or batch) normalization with a learned
    scale and offset. Several styles: inputs `[images, style]` with conditional
    instance normalization, `style` int32 indices `[N]` (`style_input="index"`) or
    float style weights `[N, num_styles]` (`style_input="weights"`, for
    interpolating styles). Both style inputs build the same weights, so one
    network's weights load into the other.

    H and W may be any multiples of 4 (`SIZE_MULTIPLE`) of at least 8.

    Args:
        filters: filters of the first convolution (Johnson: 32); the
            downsampling convolutions and the residual blocks use 2x and 4x.
        num_residual_blocks: residual blocks at 1/4 resolution (Johnson: 5).
        num_styles: number of styles the network renders.
        style_input: `"index"` or `"weights"` (only used when `num_styles > 1`).
        normalization: `"instance"` (per image, Ulyanov et al.; conditional with
            several styles) or `"batch"` (Johnson et al.; moving statistics at
            inference, folded into the convolutions by the TFLite converter, for
            full-int8 export; one style only).
        name: name of the Keras model.
    """
    if int(filters) < 1:
        raise ValueError(f"filters must be >= 1. Received: filters={filters}")
    if int(num_residual_blocks) < 0:
        raise ValueError(
            f"num_residual_blocks must be >= 0. Received: num_residual_blocks={num_residual_blocks}"
        )
    if int(num_styles) < 1:
        raise ValueError(f"num_styles must be >= 1. Received: num_styles={num_styles}")
    if style_input not in STYLE_INPUTS:
        raise ValueError(
            f"style_input must be one of {STYLE_INPUTS}. Received: style_input={style_input!r}"
        )
    if normalization not in NORMALIZATIONS:
        raise ValueError(
            f"normalization must be one of {NORMALIZATIONS}. "
            f"Received: normalization={normalization!r}"
        )
    if normalization == "batch" and int(num_styles) > 1:
        raise ValueError(
            "Several styles need conditional instance normalization: normalization='batch' "
            f"takes num_styles=1. Received: num_styles={num_styles}"
        )
    filters, num_styles = int(filters), int(num_styles)
    images = keras.Input((None, None, 3), name="images")
    if num_styles == 1:
        inputs, style = images, None
    elif style_input == "index":
        style = keras.Input((), dtype="int32", name="style_index")
        inputs = [images, style]
    else:
        style = keras.Input((num_styles,), name="style_weights")
        inputs = [images, style]

    def norm(x, label):
        if normalization == "batch":
            return keras.layers.BatchNormalization(epsilon=1e-5, name=f"{label}_norm")(x)
        if style is None:
            return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5, name=f"{label}_norm")(x)
        return ConditionalInstanceNormalization(num_styles, name=f"{label}_norm")([x, style])

    def conv(x, width, kernel, label, strides=1, use_bias=False):
        # Bias only on the output convolution: a norm's offset follows all others.
        x = ReflectionPadding2D(kernel // 2, name=f"{label}_pad")(x)
        return keras.layers.Conv2D(
            width, kernel, strides=strides, use_bias=use_bias, name=f"{label}_conv"
        )(x)

    def conv_norm_relu(x, width, kernel, label, strides=1):
        x = norm(conv(x, width, kernel, label, strides), label)
        return keras.layers.ReLU(name=f"{label}_relu")(x)

    x = conv_norm_relu(images, filters, 9, "stem")
    x = conv_norm_relu(x, 2 * filters, 3, "down0", strides=2)
    x = conv_norm_relu(x, 4 * filters, 3, "down1", strides=2)
    for b in range(int(num_residual_blocks)):
        label = f"block{b}"
        h = conv_norm_relu(x, 4 * filters, 3, f"{label}_a")
        h = norm(conv(h, 4 * filters, 3, f"{label}_b"), f"{label}_b")
        x = keras.layers.Add(name=f"{label}_add")([x, h])
    for i, width in enumerate((2 * filters, filters)):
        x = ResizeUpsampling2D(2, "nearest", name=f"up{i}_resize")(x)
        x = conv_norm_relu(x, width, 3, f"up{i}")
    x = conv(x, 3, 9, "head", use_bias=True)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="images_out")(x)
    return keras.Model(inputs, outputs, name=name)
