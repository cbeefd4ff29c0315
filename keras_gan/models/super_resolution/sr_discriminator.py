"""The VGG-style discriminator of SRGAN and ESRGAN, ending in global average pooling."""

import keras

from keras_gan.models.super_resolution.srresnet import check_positive


def build_sr_discriminator(
    filters: int = 64,
    num_stages: int = 4,
    batch_norm: bool = True,
    dense_units: int = 1024,
    channels: int = 3,
    name: str = "discriminator",
) -> keras.Model:
    """Builds high-res images [N, H, W, C] in [-1, 1] -> one logit per image [N, 1].

    Each stage is a 3x3 convolution followed by a stride-2 3x3 convolution, each
    with batch norm (except the very first convolution) and LeakyReLU 0.2;
    stage `i` has `filters * min(2**i, 8)` filters (64, 128, 256, 512 in
    SRGAN). The papers then flatten a fixed-size map (96x96 crops in SRGAN,
    128x128 in ESRGAN) into a dense layer; here global average pooling comes
    first, so the discriminator takes crops of any size. A dense layer of
    `dense_units` with LeakyReLU and a dense layer to one logit follow.

    Args:
        filters: filters of the first stage.
        num_stages: stride-2 stages (4 in SRGAN, 5 in ESRGAN's VGG-128).
        batch_norm: batch normalization after every convolution but the first.
        dense_units: width of the hidden dense layer (1024 in SRGAN, 100 in ESRGAN).
        channels: image channels.
        name: the model's name.
    """
    check_positive(
        filters=filters, num_stages=num_stages, dense_units=dense_units, channels=channels
    )
    inputs = keras.Input((None, None, channels), name="images")
    x = inputs
    for stage in range(num_stages):
        width = filters * min(2**stage, 8)
        for strides in (1, 2):
            label = f"stage{stage}_{'down' if strides == 2 else 'conv'}"
            x = keras.layers.Conv2D(width, 3, strides, padding="same", name=label)(x)
            if batch_norm and (stage, strides) != (0, 1):
                x = keras.layers.BatchNormalization(
                    momentum=0.9, epsilon=1e-5, name=f"{label}_norm"
                )(x)
            x = keras.layers.LeakyReLU(0.2, name=f"{label}_lrelu")(x)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = keras.layers.LeakyReLU(0.2, name="dense_lrelu")(
        keras.layers.Dense(dense_units, name="dense")(x)
    )
    logits = keras.layers.Dense(1, dtype="float32", name="logits")(x)
    return keras.Model(inputs, logits, name=name)
