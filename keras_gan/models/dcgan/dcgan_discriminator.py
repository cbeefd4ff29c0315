"""The DCGAN discriminator, with the heads the other noise-to-image families need.

One convolutional trunk serves every family: a plain real/fake logit (DCGAN,
LSGAN, WGAN, WGAN-GP, SNGAN), a class projection (CGAN), an auxiliary classifier
(ACGAN) or InfoGAN's Q network over latent codes.
"""

import keras

from keras_gan.layers import ClassProjection
from keras_gan.models.dcgan.dcgan_generator import upsampling_plan

DISCRIMINATOR_NORMS = ("batch", "layer", "spectral", "none")


def _init():
    return keras.initializers.RandomNormal(stddev=0.02)


def _maybe_spectral(layer, norm):
    return keras.layers.SpectralNormalization(layer) if norm == "spectral" else layer


def build_dcgan_discriminator(
    image_size: int = 64,
    channels: int = 3,
    base_filters: int = 64,
    norm: str = "batch",
    num_classes: int | None = None,
    num_auxiliary_classes: int | None = None,
    num_categorical_codes: int = 0,
    num_continuous_codes: int = 0,
    dropout: float = 0.0,
    name: str = "discriminator",
) -> keras.Model:
    """Builds images [N, S, S, C] (and labels int [N]) -> a dict of float32 heads.

    Heads: `logits` [N, 1] always; with `num_classes` the labels are an input
    and a class projection is added to the logit; `class_logits`
    [N, num_auxiliary_classes] for ACGAN; `code_logits` and `code_means` for
    InfoGAN's categorical and continuous codes.
    """
    if norm not in DISCRIMINATOR_NORMS:
        raise ValueError(
            f"Unknown discriminator norm {norm!r}. Expected one of {DISCRIMINATOR_NORMS}."
        )
    _, steps = upsampling_plan(image_size)
    images = keras.Input((image_size, image_size, channels), name="images")
    inputs, h = [images], images
    filters = base_filters
    for i in range(steps):
        conv = keras.layers.Conv2D(
            filters,
            4,
            strides=2,
            padding="same",
            # Batch norm cancels a bias: it would only collect rounding noise.
            use_bias=not (i > 0 and norm == "batch"),
            kernel_initializer=_init(),
            name=f"down_{i}",
        )
        h = _maybe_spectral(conv, norm)(h)
        if i > 0 and norm == "batch":
            h = keras.layers.BatchNormalization(synchronized=True, name=f"bn_{i}")(h)
        elif i > 0 and norm == "layer":
            h = keras.layers.LayerNormalization(axis=[1, 2, 3], name=f"ln_{i}")(h)
        h = keras.layers.LeakyReLU(0.2, name=f"lrelu_{i}")(h)
        if dropout:
            h = keras.layers.Dropout(dropout, name=f"dropout_{i}")(h)
        filters *= 2
    features = keras.layers.Flatten(name="features")(h)
    logit_layer = keras.layers.Dense(1, kernel_initializer=_init(), name="logit")
    logits = _maybe_spectral(logit_layer, norm)(features)
    outputs = {}
    if num_classes:
        labels = keras.Input((), dtype="int32", name="labels")
        inputs.append(labels)
        projection = ClassProjection(
            num_classes, spectral_norm=norm == "spectral", name="projection"
        )
        logits = keras.layers.Add(name="logit_plus_projection")(
            [logits, projection([features, labels])]
        )
    outputs["logits"] = keras.layers.Activation("linear", dtype="float32", name="logits")(logits)
    if num_auxiliary_classes:
        aux = keras.layers.Dense(num_auxiliary_classes, name="classifier")(features)
        outputs["class_logits"] = keras.layers.Activation(
            "linear", dtype="float32", name="class_logits"
        )(aux)
    if num_categorical_codes or num_continuous_codes:
        q = keras.layers.Dense(128, name="q_hidden")(features)
        q = keras.layers.LeakyReLU(0.2, name="q_lrelu")(q)
        if num_categorical_codes:
            code_logits = keras.layers.Dense(num_categorical_codes, name="q_categorical")(q)
            outputs["code_logits"] = keras.layers.Activation(
                "linear", dtype="float32", name="code_logits"
            )(code_logits)
        if num_continuous_codes:
            code_means = keras.layers.Dense(num_continuous_codes, name="q_continuous")(q)
            outputs["code_means"] = keras.layers.Activation(
                "linear", dtype="float32", name="code_means"
            )(code_means)
    return keras.Model(inputs if len(inputs) > 1 else images, outputs, name=name)
