"""CIE Lab <-> sRGB conversion as graph ops (D65 white, 2-degree observer).

The formulas and constants are scikit-image's `rgb2lab` / `lab2rgb`: gamma-encoded
sRGB in [0, 1], linear RGB -> XYZ by the sRGB matrix, XYZ divided by the D65
white, then L in [0, 100] and a, b roughly in [-128, 127] (in-gamut colours:
a in [-86.2, 98.3], b in [-107.9, 94.5]).

Only elementwise ops, `maximum`/`minimum`, `where` (`SELECT_V2`), `pow` (`POW`),
`exp`, `log`, `matmul` and `stack` are used, so a network that contains the
conversion converts to TFLite with builtin ops only. Lab -> RGB, the tail of
exported colorizers, avoids `where`, `pow` and `stack` (equal formulations, see
`_linear_to_srgb` and `_lab_f_inverse`): XNNPACK, LiteRT's CPU delegate, runs none
of them, and each one it cannot run splits the delegated graph.

The layers take an option `normalized`: RGB in [-1, 1] instead of [0, 1], and
Lab scaled to about [-1, 1] as `(L / 50 - 1, a / 110, b / 110)`, the scales a
tanh network predicts (every in-gamut a, b lies inside +-110).
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.api_export import keras_gan_export

# Linear sRGB -> XYZ (scikit-image's `xyz_from_rgb`) and the D65 white point.
XYZ_FROM_RGB = np.array(
    [
        [0.412453, 0.357580, 0.180423],
        [0.212671, 0.715160, 0.072169],
        [0.019334, 0.119193, 0.950227],
    ]
)
D65_WHITE = np.array([0.95047, 1.0, 1.08883])
# `rgb @ _RGB_TO_WHITE_XYZ` is XYZ / white; `xyz_over_white @ _WHITE_XYZ_TO_RGB` is RGB.
_RGB_TO_WHITE_XYZ = (XYZ_FROM_RGB / D65_WHITE[:, None]).T.astype("float32")
_WHITE_XYZ_TO_RGB = np.linalg.inv(XYZ_FROM_RGB / D65_WHITE[:, None]).T.astype("float32")

L_SCALE = 50.0  # normalized L = L / 50 - 1
AB_SCALE = 110.0  # normalized a, b = a / 110, b / 110

_DELTA = 6.0 / 29.0  # the knee of the Lab transfer function f(t)
_EPSILON = _DELTA**3  # 0.008856
_SLOPE = 1.0 / (3.0 * _DELTA**2)  # 7.787
_OFFSET = 4.0 / 29.0  # 16 / 116


def _srgb_to_linear(c):
    knee = 0.04045
    curve = tf.pow((tf.maximum(c, knee) + 0.055) / 1.055, 2.4)
    return tf.where(c > knee, curve, c / 12.92)


def _linear_to_srgb(c):
    # 1.055 c^(1/2.4) - 0.055 above the knee, 12.92 c below. The power is exp(log(c) / 2.4)
    # and the branch a minimum (XNNPACK delegates EXP, LOG, MINIMUM; not POW or SELECT):
    # above the knee the concave curve lies under the line; below it the curve is held at
    # its value at the knee, 1.4e-5 under the line's, so the minimum is the line but
    # within 1.4e-5 of the knee.
    knee = 0.0031308
    curve = 1.055 * tf.exp(tf.math.log(tf.maximum(c, knee)) * (1.0 / 2.4)) - 0.055
    return tf.minimum(curve, c * 12.92)


def _lab_f(t):
    return tf.where(t > _EPSILON, tf.pow(tf.maximum(t, _EPSILON), 1.0 / 3.0), t * _SLOPE + _OFFSET)


def _lab_f_inverse(f):
    # f^3 above the knee, its tangent at the knee below it: exactly the tangent plus
    # (f - knee)^2 (f + 2 knee) above the knee (f^3 minus the tangent), with no SELECT.
    above = tf.maximum(f - _DELTA, 0.0)
    return (f - _OFFSET) / _SLOPE + above * above * (f + 2.0 * _DELTA)


def _mix_channels(x, matrix):
    """`x[..., :3] @ matrix` for any leading shape (one MatMul: BATCH_MATMUL in TFLite)."""
    return tf.matmul(x, tf.constant(matrix, dtype=x.dtype))


def rgb_to_lab(rgb):
    """sRGB in [0, 1] -> CIE Lab (L in [0, 100]), channels last, float32.

    Values outside [0, 1] follow the same formulas (no clipping).

    Args:
        rgb: a tensor or array [..., 3] of gamma-encoded sRGB.
    """
    rgb = tf.cast(rgb, tf.float32)
    xyz = _lab_f(_mix_channels(_srgb_to_linear(rgb), _RGB_TO_WHITE_XYZ))
    fx, fy, fz = tf.unstack(xyz, 3, axis=-1)
    return tf.stack([116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)], axis=-1)


# (L, a, b) @ _F_FROM_LAB + _F_OFFSET = (fx, fy, fz) = (fy + a / 500, fy, fy - b / 200),
# fy = (L + 16) / 116: one matrix instead of unstacking and stacking channels.
_F_FROM_LAB = np.array(
    [[1 / 116, 1 / 116, 1 / 116], [1 / 500, 0.0, 0.0], [0.0, 0.0, -1 / 200]], dtype="float32"
)
_F_OFFSET = np.full(3, 16 / 116, dtype="float32")
_F_LOWEST = np.array([np.finfo("float32").min, np.finfo("float32").min, 0.0], dtype="float32")


def lab_to_rgb(lab):
    """CIE Lab (L in [0, 100]) -> sRGB clipped to [0, 1], channels last, float32.

    Colours outside the sRGB gamut are clipped per channel; as scikit-image, a
    negative `fz` (very large b) is taken as 0 first. Written with ops that TFLite's
    XNNPACK delegate runs (matmul, elementwise, EXP, LOG, MINIMUM, MAXIMUM).

    Args:
        lab: a tensor or array [..., 3] of L, a, b.
    """
    lab = tf.cast(lab, tf.float32)
    f = tf.maximum(_mix_channels(lab, _F_FROM_LAB) + _F_OFFSET, _F_LOWEST)
    linear = _mix_channels(_lab_f_inverse(f), _WHITE_XYZ_TO_RGB)
    return tf.clip_by_value(_linear_to_srgb(linear), 0.0, 1.0)


def normalize_lab(lab):
    """Lab -> (L / 50 - 1, a / 110, b / 110): about [-1, 1] for in-gamut colours."""
    lab = tf.cast(lab, tf.float32)
    return (lab - tf.constant([L_SCALE, 0.0, 0.0])) / tf.constant([L_SCALE, AB_SCALE, AB_SCALE])


def denormalize_lab(normalized):
    """The inverse of `normalize_lab`."""
    normalized = tf.cast(normalized, tf.float32)
    scale = tf.constant([L_SCALE, AB_SCALE, AB_SCALE])
    return normalized * scale + tf.constant([L_SCALE, 0.0, 0.0])


class _ColorConversion(keras.layers.Layer):
    """A conversion layer that computes in float32 (pow is too coarse in float16).

    The dtype policy defaults to "float32" whatever the global policy, so outputs are
    float32. Given a mixed policy explicitly, the layer does as Keras's normalization
    layers: inputs are not autocast (no rounding to float16 before the conversion), the
    conversion runs in float32, and the result is cast to the policy's compute dtype.
    """

    def __init__(self, normalized: bool = False, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.normalized = bool(normalized)
        self.autocast = False

    def call(self, inputs):
        outputs = self._convert(inputs)
        if keras.backend.standardize_dtype(outputs.dtype) != self.compute_dtype:
            outputs = tf.cast(outputs, self.compute_dtype)
        return outputs

    def _convert(self, inputs):
        """The conversion, float32 out for any float or int input."""
        raise NotImplementedError

    def build(self, input_shape):
        if input_shape[-1] != 3:
            raise ValueError(
                f"{type(self).__name__} expects 3 channels last. Received: "
                f"input_shape={tuple(input_shape)}"
            )
        self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "normalized": self.normalized}


@keras_gan_export("keras_gan.layers.RGBToLab")
class RGBToLab(_ColorConversion):
    """sRGB -> CIE Lab (D65), channels last.

    Args:
        normalized: False: RGB in [0, 1] -> L in [0, 100], a and b unscaled.
            True: RGB in [-1, 1] -> `(L / 50 - 1, a / 110, b / 110)`.
    """

    def _convert(self, inputs):
        if self.normalized:
            return normalize_lab(rgb_to_lab((tf.cast(inputs, tf.float32) + 1.0) * 0.5))
        return rgb_to_lab(inputs)


@keras_gan_export("keras_gan.layers.LabToRGB")
class LabToRGB(_ColorConversion):
    """CIE Lab (D65) -> sRGB clipped to the gamut, channels last.

    Args:
        normalized: False: L in [0, 100], a and b unscaled -> RGB in [0, 1].
            True: `(L / 50 - 1, a / 110, b / 110)` -> RGB in [-1, 1].
    """

    def _convert(self, inputs):
        if self.normalized:
            return lab_to_rgb(denormalize_lab(inputs)) * 2.0 - 1.0
        return lab_to_rgb(inputs)
