"""The reference implementation's normalization options, as Keras layers.

`batch`: batch norm with affine parameters (momentum 0.1 in PyTorch's sense).
`instance`: instance norm without affine parameters, as the reference builds it
(`GroupNormalization(groups=-1)` with `center=False, scale=False`).
`none`: no normalization.

The reference gives convolutions a bias only when the norm is `instance`
(batch norm has its own offset; with `none` it keeps no bias either, a quirk
we follow so the parameter counts agree option for option).
"""

import keras

NORMS = ("batch", "instance", "none")


def check_norm(norm: str) -> str:
    if norm not in NORMS:
        raise ValueError(f"Unknown norm {norm!r}. Expected one of {NORMS}.")
    return norm


def conv_init() -> keras.initializers.Initializer:
    """The reference's `init_type='normal'`: N(0, 0.02) weights, zero biases."""
    return keras.initializers.RandomNormal(stddev=0.02)


def reference_conv(x, width: int, kernel: int, strides: int, label: str, use_bias: bool, pad=0):
    """A `valid` convolution after `pad` pixels of zeros on each side (PyTorch's `padding`)."""
    if pad:
        x = keras.layers.ZeroPadding2D(pad, name=f"{label}_pad")(x)
    return keras.layers.Conv2D(
        width,
        kernel,
        strides=strides,
        padding="valid",
        use_bias=use_bias,
        kernel_initializer=conv_init(),
        name=f"{label}_conv",
    )(x)


def uses_bias(norm: str) -> bool:
    """Whether the convolutions before a norm layer have a bias (reference rule)."""
    return check_norm(norm) == "instance"


def normalization(norm: str, name: str):
    """A norm layer for `norm`, or None for `none`."""
    check_norm(norm)
    if norm == "batch":
        return keras.layers.BatchNormalization(
            momentum=0.9,
            epsilon=1e-5,
            gamma_initializer=keras.initializers.RandomNormal(mean=1.0, stddev=0.02),
            synchronized=True,
            name=name,
        )
    if norm == "instance":
        return keras.layers.GroupNormalization(
            groups=-1, epsilon=1e-5, center=False, scale=False, name=name
        )
    return None


def normalize(x, norm: str, name: str):
    """Applies `normalization(norm, name)` to `x` (the identity for `none`)."""
    layer = normalization(norm, name)
    return x if layer is None else layer(x)
