"""InceptionV3 features (pool3, for FID and KID) and the Inception Score, from local weights.

Nothing is downloaded: the networks are built with `keras.applications.InceptionV3(weights=None)`
and the weights are read from Keras' own ImageNet files, which the user copies in (see
`find_inception_weights`). With those files the features are the standard pool3 features
(2048-d global average pool of `mixed10`); the numbers are comparable with published FID/KID
only as far as the resizing matches: here images are resized bilinearly (no antialiasing) to
299x299 inside the model, as the original TensorFlow FID code does.
"""

import os
from pathlib import Path

import keras
import numpy as np
from keras import ops

from keras_gan.api_export import keras_gan_export
from keras_gan.perceptual.weights import MissingWeightsError, cache_dir

INCEPTION_SIZE = 299
INCEPTION_FEATURE_DIM = 2048
INCEPTION_WEIGHTS_ENV_VAR = "KERAS_GAN_INCEPTION_WEIGHTS"
INCEPTION_FILENAMES = {
    False: "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
    True: "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
}
# ITU-R BT.601 luma weights; they sum to 1, so the [-1, 1] range is kept.
_LUMA = (0.299, 0.587, 0.114)


@keras_gan_export("keras_gan.metrics.PrepareImages")
class PrepareImages(keras.layers.Layer):
    """Converts images to a feature network's input: channel count, then bilinear resize.

    Grayscale is repeated to RGB; RGB becomes BT.601 luma when `channels=1`; images that
    already have `channels` channels pass unchanged. The resize (no antialiasing, half-pixel
    centres, as `tf.image.resize`) is skipped when the size already matches.

    Args:
        channels: 1 or 3.
        size: `(height, width)` to resize to, or `None` to keep the size.
        **kwargs: base layer arguments.

    Call arguments:
        images: float `[N, H, W, 1 or 3]`.
    """

    def __init__(self, channels: int = 3, size=None, **kwargs):
        super().__init__(**kwargs)
        if channels not in (1, 3):
            raise ValueError(f"`channels` must be 1 or 3. Received: channels={channels!r}")
        if size is not None:
            size = tuple(int(s) for s in size)
            if len(size) != 2 or min(size) < 1:
                raise ValueError(f"`size` must be (height, width). Received: size={size!r}")
        self.channels = channels
        self.size = size

    def call(self, images):
        have = images.shape[-1]
        if have not in (1, 3):
            raise ValueError(
                f"Expected images [N, H, W, C] with C = 1 or 3. Received shape: {images.shape}"
            )
        x = images
        if have != self.channels and self.channels == 3:
            x = ops.repeat(x, 3, axis=-1)
        elif have != self.channels:
            weights = ops.convert_to_tensor(np.array(_LUMA, "float32"), dtype=x.dtype)
            x = ops.sum(x * weights, axis=-1, keepdims=True)
        if self.size is not None and tuple(x.shape[1:3]) != self.size:
            x = ops.image.resize(x, self.size, interpolation="bilinear", antialias=False)
        return x

    def compute_output_shape(self, input_shape):
        size = tuple(input_shape[1:3]) if self.size is None else self.size
        return (input_shape[0], *size, self.channels)

    def get_config(self):
        size = None if self.size is None else list(self.size)
        return {**super().get_config(), "channels": self.channels, "size": size}


def _keras_models_dir() -> Path:
    """Where `keras.applications` caches weights: `$KERAS_HOME/models` or `~/.keras/models`."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models"


def _in(location: Path, filename: str) -> Path:
    return location / filename if location.is_dir() else location


def find_inception_weights(path=None, include_top: bool = False) -> Path:
    """Returns Keras' ImageNet InceptionV3 weights file, found locally.

    The file is `inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5` (or
    `..._kernels.h5` with the classifier top). Looks, in order, at `path` (the file, or a
    directory holding it), at `$KERAS_GAN_INCEPTION_WEIGHTS` (same), and otherwise at
    `keras_gan.perceptual.weights.cache_dir()` and `~/.keras/models` (`$KERAS_HOME/models`).
    An explicit `path` or a set environment variable that names nothing is an error (no
    fallback). Nothing is downloaded.

    Raises:
        MissingWeightsError: no file; the message says which, where it looked, how to get it.
    """
    filename = INCEPTION_FILENAMES[bool(include_top)]
    if path is not None:
        candidates = [_in(Path(path).expanduser(), filename)]
        looked = [f"path={str(path)!r}"]
    elif os.environ.get(INCEPTION_WEIGHTS_ENV_VAR):
        value = os.environ[INCEPTION_WEIGHTS_ENV_VAR]
        candidates = [_in(Path(value).expanduser(), filename)]
        looked = [f"${INCEPTION_WEIGHTS_ENV_VAR}={value!r}"]
    else:
        candidates = [cache_dir() / filename, _keras_models_dir() / filename]
        looked = [f"${INCEPTION_WEIGHTS_ENV_VAR} (not set)"] + [repr(str(c)) for c in candidates]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    top = "include_top=True" if include_top else "include_top=False"
    raise MissingWeightsError(
        f"No InceptionV3 ImageNet weights file {filename!r} found. Looked at: "
        f"{'; '.join(looked)}. keras-gan never downloads it. On a machine with internet, run "
        f'`python -c "import keras; keras.applications.InceptionV3({top})"`, which stores it '
        f"in ~/.keras/models/, then copy {filename} into {str(cache_dir())!r} (or point "
        f"${INCEPTION_WEIGHTS_ENV_VAR} at it)."
    )


def _inception_v3(include_top: bool, weights) -> keras.Model:
    """`keras.applications.InceptionV3` at 299x299 with weights from a local file (or random)."""
    kwargs = {"include_top": include_top, "input_shape": (INCEPTION_SIZE, INCEPTION_SIZE, 3)}
    if not include_top:
        kwargs["pooling"] = "avg"
    file = None
    if weights is not None:  # look for the file before the (slow) build
        file = find_inception_weights(None if weights == "default" else weights, include_top)
    model = keras.applications.InceptionV3(weights=None, **kwargs)
    if file is None:
        return model
    try:
        # `.weights.h5` files use Keras 3's format; Keras' own `..._notop.h5` the legacy one.
        model.load_weights(str(file))
    except (ValueError, OSError, KeyError) as error:
        raise ValueError(
            f"Cannot load InceptionV3 weights (include_top={include_top}) from {str(file)!r}: "
            f"{error}"
        ) from error
    return model


def _with_preprocessing(network: keras.Model, name: str) -> keras.Model:
    """Images `[N, H, W, 1 or 3]` in `[-1, 1]` -> RGB -> bilinear 299x299 -> `network`."""
    images = keras.Input((None, None, None), name="images")
    x = PrepareImages(3, (INCEPTION_SIZE, INCEPTION_SIZE), name="prepare")(images)
    # InceptionV3 takes RGB in [-1, 1]: its `preprocess_input` is exactly our range. The
    # batch-norm layers always run in inference mode (the statistics never move).
    return keras.Model(images, network(x, training=False), name=name)


def inception_features(weights="default") -> keras.Model:
    """Returns the InceptionV3 pool3 feature extractor.

    Args:
        weights: `"default"` (the notop file found by `find_inception_weights`), a path to it
            (Keras' legacy `.h5` or a Keras 3 `.weights.h5`), or `None` for random weights
            (tests only).

    Returns:
        A model mapping float32 images `[N, H, W, C]` in `[-1, 1]` (C = 1 or 3; grayscale is
        repeated to RGB; resized bilinearly to 299x299 inside) to features `[N, 2048]`.
    """
    network = _inception_v3(include_top=False, weights=weights)
    return _with_preprocessing(network, "inception_v3_pool3")


def inception_probabilities(weights="default") -> keras.Model:
    """Returns InceptionV3 with its ImageNet classifier: images -> softmax `[N, 1000]`.

    Args:
        weights: as `inception_features`, but the file with the top
            (`inception_v3_weights_tf_dim_ordering_tf_kernels.h5`).
    """
    network = _inception_v3(include_top=True, weights=weights)
    return _with_preprocessing(network, "inception_v3_probabilities")


def inception_score(probabilities: np.ndarray, splits: int = 10) -> tuple[float, float]:
    """Returns the Inception Score `(mean, std)` over `splits` consecutive splits.

    For each split, `exp(mean_x KL(p(y|x) || p(y)))` with `p(y)` the split's mean prediction.
    Uniform predictions give 1; confident predictions spread evenly over K classes give K.

    Args:
        probabilities: `[N, K]` class probabilities (rows non-negative, summing to 1), for
            example from `inception_probabilities` or a dataset classifier's softmax.
        splits: number of splits (each needs at least one row); 10 is the usual choice.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2:
        raise ValueError(f"`probabilities` must be a matrix [N, K]. Received shape: {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any():
        raise ValueError("`probabilities` must be finite and non-negative.")
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-3):
        worst = sums[np.argmax(np.abs(sums - 1.0))]
        raise ValueError(
            f"Each row of `probabilities` must sum to 1 (softmax outputs, not logits). "
            f"Received a row summing to {worst:.6g}"
        )
    if not 1 <= splits <= len(p):
        raise ValueError(
            f"`splits` must be between 1 and the number of rows ({len(p)}). Received: {splits}"
        )
    scores = []
    for part in np.array_split(p, splits):
        marginal = part.mean(axis=0, keepdims=True)
        # 0 * log(0 / q) counts as 0.
        ratio = np.where(part > 0, part / np.where(marginal > 0, marginal, 1.0), 1.0)
        kl = np.sum(part * np.log(ratio), axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))
