"""An ab generator on a frozen ImageNet VGG16: what a colorizer knows of objects, from few photos.

The U-Nets of pix2pix learn everything from the training photos; with a few dozen photos
they learn textures, not objects, and paint colour where none belongs. This network reads
the gray photo through VGG16's first three blocks with their ImageNet weights, frozen
(the local weights of `keras-gan convert-weights`), and trains only a small decoder with
skips from blocks 1 and 2. As Zhang et al. (2016) predict ab at a quarter of the
resolution, VGG runs on the half-resolution photo and the ab come back up bilinearly:
colour is smooth, the full-resolution L keeps the detail.
"""

from __future__ import annotations

import keras
import numpy as np

from keras_gan.layers.resize_upsampling_2d import ResizeUpsampling2D
from keras_gan.perceptual.vgg_features import IMAGENET_MEAN, IMAGENET_STD

VGG_GENERATOR = "vgg16_half"
SIZE_MULTIPLE = 8  # half resolution, then two 2x2 poolings
_ENCODER_BLOCKS = ((1, 2), (2, 2), (3, 3))  # (block, convolutions) of VGG16 used


def build_vgg_ab_generator(
    decoder_filters: int = 48,
    encoder_weights: str | None = "imagenet",
    name: str = "ab_generator",
) -> keras.Model:
    """Normalized L [N, H, W, 1] in [-1, 1] -> ab / 110 [N, H, W, 2] (tanh).

    Args:
        decoder_filters: filters of the decoder's middle stage (twice this at 1/8 of
            the input's resolution, half of it at 1/2).
        encoder_weights: `"imagenet"` (the local VGG16 file), a `.npz` path in that
            format, or None (random, frozen: when the weights come from a saved model).
        name: the network's name.

    H and W must be multiples of `SIZE_MULTIPLE`.
    """
    if decoder_filters < 2:
        raise ValueError(f"decoder_filters must be >= 2. Received: {decoder_filters}")
    gray = keras.Input((None, None, 1), name="lightness")
    x = keras.layers.Rescaling(0.5, offset=0.5, name="to_unit")(gray)
    x = keras.layers.AveragePooling2D(2, name="half_resolution")(x)
    x = keras.layers.Concatenate(name="gray_rgb")([x, x, x])
    x = keras.layers.Normalization(
        mean=list(IMAGENET_MEAN), variance=[s * s for s in IMAGENET_STD], name="imagenet"
    )(x)
    convolutions, skips = [], []
    for block, count in _ENCODER_BLOCKS:
        for index in range(1, count + 1):
            conv = keras.layers.Conv2D(
                64 * 2 ** (block - 1),
                3,
                padding="same",
                activation="relu",
                trainable=False,
                name=f"block{block}_conv{index}",
            )
            x = conv(x)
            convolutions.append(conv)
        skips.append(x)
        if block < len(_ENCODER_BLOCKS):
            x = keras.layers.MaxPooling2D(2, name=f"block{block}_pool")(x)
    f = decoder_filters
    for index in range(2):
        x = keras.layers.Conv2D(2 * f, 3, padding="same", activation="relu", name=f"bottom{index}")(
            x
        )
    for level, (skip, width) in enumerate(((skips[1], f), (skips[0], f // 2))):
        x = ResizeUpsampling2D(2, "bilinear", name=f"up{level}")(x)
        side = keras.layers.Conv2D(width, 1, activation="relu", name=f"skip{level}")(skip)
        x = keras.layers.Concatenate(name=f"merge{level}")([x, side])
        x = keras.layers.Conv2D(width, 3, padding="same", activation="relu", name=f"decode{level}")(
            x
        )
    ab = keras.layers.Conv2D(2, 3, padding="same", activation="tanh", name="ab_half")(x)
    ab = ResizeUpsampling2D(2, "bilinear", name="ab")(ab)
    model = keras.Model(gray, ab, name=name)
    if encoder_weights is not None:
        _load_vgg(convolutions, encoder_weights)
    return model


def _load_vgg(convolutions: list, weights: str) -> None:
    from keras_gan.perceptual.weights import load_vgg_arrays

    arrays = load_vgg_arrays("vgg16", None if weights == "imagenet" else weights)
    for conv in convolutions:
        conv.set_weights(
            [np.asarray(arrays[f"{conv.name}/kernel"]), np.asarray(arrays[f"{conv.name}/bias"])]
        )
