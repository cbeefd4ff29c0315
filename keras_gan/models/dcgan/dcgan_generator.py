"""The DCGAN generator (Radford et al.), with optional class conditioning.

CGAN, ACGAN and InfoGAN use the same network with labels or codes as extra
inputs, so this module is their shared generator, not a copy per family.
"""

import keras

from keras_gan.layers import ConditionalBatchNormalization

GENERATOR_NORMS = ("batch", "none")


def upsampling_plan(image_size: int) -> tuple[int, int]:
    """Returns `(initial_size, num_upsamplings)` for a square image side.

    The side must be `s * 2**k` with `3 <= s <= 7` and `k >= 2` (28 = 7 * 4,
    32 = 4 * 8, 64 = 4 * 16, ...).
    """
    size = int(image_size)
    if size != image_size or size <= 0:
        raise ValueError(
            f"image_size must be a positive integer. Received: image_size={image_size}"
        )
    initial, steps = size, 0
    while initial % 2 == 0 and initial > 7:
        initial //= 2
        steps += 1
    if steps < 2 or initial < 3:
        raise ValueError(
            f"This family cannot make images of size {image_size}: expected s * 2**k with "
            "3 <= s <= 7 and k >= 2 (for example 28, 32, 48, 64, 128)."
        )
    return initial, steps


def _init():
    return keras.initializers.RandomNormal(stddev=0.02)


def build_dcgan_generator(
    latent_dim: int = 100,
    image_size: int = 64,
    channels: int = 3,
    base_filters: int = 64,
    num_classes: int | None = None,
    norm: str = "batch",
    name: str = "generator",
) -> keras.Model:
    """Builds z [N, latent_dim] (and labels int [N]) -> images [N, S, S, C] in [-1, 1].

    A dense projection to `initial x initial x F`, then stride-2 transposed
    convolutions halving the filters at each step, batch norm and ReLU, and a
    tanh output. With `num_classes`, the label is embedded and concatenated to z,
    and every normalization is class-conditional.
    """
    if norm not in GENERATOR_NORMS:
        raise ValueError(f"Unknown generator norm {norm!r}. Expected one of {GENERATOR_NORMS}.")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3. Received: channels={channels}")
    initial, steps = upsampling_plan(image_size)
    z = keras.Input((latent_dim,), name="z")
    inputs, h = [z], z
    labels = None
    if num_classes:
        labels = keras.Input((), dtype="int32", name="labels")
        inputs.append(labels)
        embedded = keras.layers.Embedding(num_classes, latent_dim, name="label_embedding")(labels)
        h = keras.layers.Concatenate(name="z_and_label")([z, embedded])

    def normalize(x, index):
        if norm == "none":
            return x
        if labels is not None:
            return ConditionalBatchNormalization(num_classes, name=f"cbn_{index}")([x, labels])
        return keras.layers.BatchNormalization(synchronized=True, name=f"bn_{index}")(x)

    filters = base_filters * 2 ** (steps - 1)
    h = keras.layers.Dense(
        initial * initial * filters,
        use_bias=norm == "none",
        kernel_initializer=_init(),
        name="project",
    )(h)
    h = keras.layers.Reshape((initial, initial, filters), name="reshape")(h)
    h = keras.layers.ReLU(name="relu_0")(normalize(h, 0))
    for i in range(1, steps):
        filters = max(filters // 2, 8)
        h = keras.layers.Conv2DTranspose(
            filters,
            4,
            strides=2,
            padding="same",
            use_bias=norm == "none",
            kernel_initializer=_init(),
            name=f"up_{i}",
        )(h)
        h = keras.layers.ReLU(name=f"relu_{i}")(normalize(h, i))
    h = keras.layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", kernel_initializer=_init(), name="to_image"
    )(h)
    images = keras.layers.Activation("tanh", dtype="float32", name="images")(h)
    return keras.Model(inputs if len(inputs) > 1 else z, images, name=name)
