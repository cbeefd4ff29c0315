"""The DTN digits networks: f (a conv trunk), g (transposed convs) and the 3-way D.

Layer sizes are yunjey/domain-transfer-network's `model.py` (the TF reimplementation of
the paper's SVHN -> MNIST setup), which matches the paper's description: f has four
3x3 / 4x4 conv blocks with batch norm (64, 128, 256, then a 4x4 valid conv to the
128-d embedding, tanh), g four transposed-conv blocks (a 4x4 valid one to 4x4x512,
then 3x3 stride-2 ones to 256, 128 and the image, tanh out), D three 3x3 stride-2
convs with batch norm and ReLU (128, 256, 512) and a 4x4 valid conv to the logits.
Every conv has a bias (slim's default without a normalizer_fn); batch norm has a
scale and an offset (momentum 0.95, slim's `decay`); kernels start Glorot-uniform
(slim's `xavier_initializer`). Where we differ: D ends in 3 logits (the paper's
G(source) / G(target) / real target; the reimplementation trains two binary heads),
and sides other than 32 are allowed (multiples of 8: the 4x4 valid convs become
`image_size / 8` wide).
"""

from __future__ import annotations

import keras

NUM_CLASSES = 3  # D's classes: G(source), G(target), real target
SOURCE_FAKE, TARGET_FAKE, TARGET_REAL = range(NUM_CLASSES)


def check_image_size(image_size: int) -> int:
    image_size = int(image_size)
    if image_size < 8 or image_size % 8:
        raise ValueError(f"image_size must be a multiple of 8 (>= 8). Received: {image_size}")
    return image_size


def _norm(name: str) -> keras.layers.Layer:
    return keras.layers.BatchNormalization(momentum=0.95, epsilon=1e-3, name=name)


def _conv(x, filters, kernel, name, strides=2, padding="same", transpose=False):
    layer = keras.layers.Conv2DTranspose if transpose else keras.layers.Conv2D
    return layer(
        filters, kernel, strides=strides, padding=padding, name=name,
        kernel_initializer="glorot_uniform",
    )(x)  # fmt: skip


def build_content_extractor(
    image_size: int = 32,
    channels: int = 3,
    filters: int = 64,
    embedding_dim: int = 128,
    name: str = "f",
) -> keras.Model:
    """f: images [N, S, S, C] -> embeddings [N, 1, 1, embedding_dim] in (-1, 1).

    Convs of `filters`, `2 * filters`, `4 * filters` (3x3, stride 2), each with batch
    norm and ReLU, then a `S/8 x S/8` valid conv to `embedding_dim`, batch norm, tanh.
    """
    size = check_image_size(image_size)
    images = keras.Input((size, size, channels), name="images")
    x = images
    for index, width in enumerate((filters, 2 * filters, 4 * filters)):
        x = _conv(x, width, 3, f"conv{index + 1}")
        x = keras.layers.ReLU(name=f"relu{index + 1}")(_norm(f"bn{index + 1}")(x))
    x = _conv(x, embedding_dim, size // 8, "conv4", strides=1, padding="valid")
    x = keras.layers.Activation("tanh", name="tanh")(_norm("bn4")(x))
    return keras.Model(images, x, name=name)


def build_digit_classifier(f: keras.Model, num_classes: int = 10, name: str = "classifier"):
    """f followed by the reimplementation's pretraining head (a 1x1 conv to the logits)."""
    x = f.output
    if len(x.shape) == 4:
        x = keras.layers.Conv2D(num_classes, 1, name="logits")(x)
        x = keras.layers.Flatten(name="flatten")(x)
    else:
        x = keras.layers.Dense(num_classes, name="logits")(keras.layers.Flatten()(x))
    return keras.Model(f.input, x, name=name)


def build_generator(
    embedding_shape: tuple,
    image_size: int = 32,
    channels: int = 1,
    filters: int = 128,
    name: str = "g",
) -> keras.Model:
    """g: f's output (any shape; flattened to a 1x1 map) -> images [N, S, S, channels].

    A `S/8 x S/8` valid transposed conv to `4 * filters`, then 3x3 stride-2 transposed
    convs to `2 * filters`, `filters` and `channels`; batch norm and ReLU between, tanh out.
    """
    size = check_image_size(image_size)
    embedding = keras.Input(tuple(embedding_shape), name="embedding")
    width = 1
    for side in embedding_shape:
        width *= int(side)
    x = keras.layers.Reshape((1, 1, width), name="to_map")(embedding)
    x = _conv(x, 4 * filters, size // 8, "conv_transpose1", 1, "valid", transpose=True)
    x = keras.layers.ReLU(name="relu1")(_norm("bn1")(x))
    for index, width in enumerate((2 * filters, filters)):
        x = _conv(x, width, 3, f"conv_transpose{index + 2}", transpose=True)
        x = keras.layers.ReLU(name=f"relu{index + 2}")(_norm(f"bn{index + 2}")(x))
    x = _conv(x, channels, 3, "conv_transpose4", transpose=True)
    images = keras.layers.Activation("tanh", dtype="float32", name="tanh")(x)
    return keras.Model(embedding, images, name=name)


def build_discriminator(
    image_size: int = 32,
    channels: int = 1,
    filters: int = 128,
    name: str = "discriminator",
) -> keras.Model:
    """D: images [N, S, S, channels] -> logits [N, 3] (G(source), G(target), real target).

    3x3 stride-2 convs of `filters`, `2 * filters`, `4 * filters`, each with batch norm
    and ReLU (the first also ReLU before its norm, as the reimplementation), then a
    `S/8 x S/8` valid conv to the three logits.
    """
    size = check_image_size(image_size)
    images = keras.Input((size, size, channels), name="images")
    x = images
    for index, width in enumerate((filters, 2 * filters, 4 * filters)):
        x = _conv(x, width, 3, f"conv{index + 1}")
        if index == 0:
            x = keras.layers.ReLU(name="relu0")(x)
        x = keras.layers.ReLU(name=f"relu{index + 1}")(_norm(f"bn{index + 1}")(x))
    x = _conv(x, NUM_CLASSES, size // 8, "conv4", strides=1, padding="valid")
    logits = keras.layers.Flatten(dtype="float32", name="logits")(x)
    return keras.Model(images, logits, name=name)
