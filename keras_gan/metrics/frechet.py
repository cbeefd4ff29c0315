"""Fréchet distance between Gaussians fitted to two sets of features (the formula behind FID).

    FD = ||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2))

`frechet_distance` follows the reference FID code (scipy `sqrtm`, an `eps` offset on the diagonals
when the product is near-singular, imaginary round-off dropped). `FrechetDistance` is a Keras metric
that keeps running sums of the features in float64 variables (so it works inside `tf.function`,
under distribution strategies and with `reset_state`) and evaluates the trace term in TensorFlow as
`sum(sqrt(eig(sqrt(sigma1) sigma2 sqrt(sigma1))))`, which equals `Tr((sigma1 sigma2)^(1/2))` for
covariance matrices.
"""

import warnings
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf
from scipy import linalg

from keras_gan.api_export import keras_gan_export
from keras_gan.metrics.feature_metric import FeatureMetric


def _check_gaussian(mu: np.ndarray, sigma: np.ndarray, which: str) -> tuple[np.ndarray, np.ndarray]:
    mu = np.atleast_1d(np.asarray(mu, dtype=np.float64))
    sigma = np.atleast_2d(np.asarray(sigma, dtype=np.float64))
    if mu.ndim != 1:
        raise ValueError(f"`mu{which}` must be a vector [D]. Received shape: {mu.shape}")
    if sigma.shape != (mu.shape[0], mu.shape[0]):
        raise ValueError(
            f"`sigma{which}` must be a [D, D] matrix matching `mu{which}` (D={mu.shape[0]}). "
            f"Received shape: {sigma.shape}"
        )
    return mu, sigma


def frechet_distance(
    mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray, eps: float = 1e-6
) -> float:
    """Returns the Fréchet distance between `N(mu1, sigma1)` and `N(mu2, sigma2)`.

    Args:
        mu1, mu2: means, vectors of the same length `D`.
        sigma1, sigma2: covariances, `[D, D]` matrices.
        eps: added to both diagonals when `sqrtm(sigma1 @ sigma2)` is not finite or not
            accurate (relative residual above 1e-6).
    """
    mu1, sigma1 = _check_gaussian(mu1, sigma1, "1")
    mu2, sigma2 = _check_gaussian(mu2, sigma2, "2")
    if mu1.shape != mu2.shape:
        raise ValueError(
            f"Feature dimensions differ: `mu1` has {mu1.shape[0]}, `mu2` has {mu2.shape[0]}."
        )
    diff = mu1 - mu2
    product = sigma1 @ sigma2
    with warnings.catch_warnings():
        # Rank-deficient covariances (for example dead ReLU features) make scipy warn even when
        # its square root is exact; the residual check below decides whether to retry.
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        covmean = linalg.sqrtm(product)
    residual = np.linalg.norm(covmean @ covmean - product) if np.isfinite(covmean).all() else np.inf
    if not residual <= 1e-6 * max(np.linalg.norm(product), 1e-30):
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(covmean):
        imaginary = np.max(np.abs(np.diagonal(covmean).imag))
        if imaginary > 1e-3:
            raise ValueError(
                f"sqrtm(sigma1 @ sigma2) has imaginary diagonal parts up to {imaginary:.3g}; "
                "the covariances are not valid (symmetric positive semi-definite)."
            )
        covmean = covmean.real
    trace = np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean)
    return float(diff @ diff + trace)


def feature_statistics(
    features: np.ndarray, name: str = "features"
) -> tuple[np.ndarray, np.ndarray]:
    """Returns `(mean [D], covariance [D, D])` of `features` `[N, D]` in float64 (N >= 2)."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2:
        raise ValueError(f"`{name}` must be a matrix [N, D]. Received shape: {features.shape}")
    if features.shape[0] < 2:
        raise ValueError(
            f"`{name}` needs at least 2 samples to estimate a covariance. "
            f"Received: {features.shape[0]} sample(s)"
        )
    return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance_from_features(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to `features_a` `[N, D]` and `features_b` `[M, D]`."""
    features_a, features_b = np.asarray(features_a), np.asarray(features_b)
    if features_a.ndim == features_b.ndim == 2 and features_a.shape[1] != features_b.shape[1]:
        raise ValueError(
            f"Feature dimensions differ: `features_a` has D={features_a.shape[1]}, "
            f"`features_b` has D={features_b.shape[1]}."
        )
    mu_a, sigma_a = feature_statistics(features_a, "features_a")
    mu_b, sigma_b = feature_statistics(features_b, "features_b")
    return frechet_distance(mu_a, sigma_a, mu_b, sigma_b)


@keras_gan_export("keras_gan.metrics.FrechetDistance")
class FrechetDistance(FeatureMetric):
    """Fréchet distance between features of real and generated images, accumulated over batches.

    Args:
        feature_extractor: maps images to features `[N, D]`: a Keras model/layer (called with
            `training=False`) or any callable.
        feature_dim: `D`; inferred from `feature_extractor.output_shape` when not given.
        name, dtype: as for any Keras metric (`dtype` is the dtype of `result()`; the running
            sums are float64).

    `update_state(real_images, generated_images)` adds either set (pass `None` to skip one, for
    example to accumulate the real statistics once); `result()` needs at least 2 of each.
    """

    feature_dtype = tf.float64

    def __init__(
        self,
        feature_extractor: Callable,
        feature_dim: int | None = None,
        name: str = "frechet_distance",
        dtype=None,
    ):
        super().__init__(feature_extractor, feature_dim, name=name, dtype=dtype)
        self._sums = {}
        for role in ("real", "generated"):
            self._sums[role] = (
                self._add_sum(f"{role}_count", ()),
                self._add_sum(f"{role}_sum", (self.feature_dim,)),
                self._add_sum(f"{role}_outer", (self.feature_dim, self.feature_dim)),
            )

    def _add_sum(self, name: str, shape: tuple) -> keras.Variable:
        return self.add_variable(shape, "zeros", dtype="float64", aggregation="sum", name=name)

    def update_state(self, real_images=None, generated_images=None, sample_weight=None) -> None:
        """Adds the features of `real_images` and/or `generated_images` to the running sums."""
        if sample_weight is not None:
            raise ValueError("`FrechetDistance` does not support `sample_weight`.")
        for role, images in (("real", real_images), ("generated", generated_images)):
            if images is None:
                continue
            features = self.extract_features(images)
            count, total, outer = self._sums[role]
            count.assign_add(tf.cast(tf.shape(features)[0], tf.float64))
            total.assign_add(tf.reduce_sum(features, axis=0))
            outer.assign_add(tf.matmul(features, features, transpose_a=True))

    def statistics(self, role: str) -> tuple[tf.Tensor, tf.Tensor]:
        """Returns the float64 `(mean, covariance)` accumulated for `"real"` or `"generated"`.

        Raises `ValueError` eagerly with fewer than 2 samples; inside a graph the result is NaN.
        """
        count, total, outer = (tf.convert_to_tensor(v) for v in self._sums[role])
        if tf.executing_eagerly() and count < 2:
            raise ValueError(
                f"`FrechetDistance` needs at least 2 {role} samples to estimate a covariance. "
                f"Received: {int(count)} sample(s)"
            )
        mean = total / count
        covariance = (outer - count * mean[:, None] * mean[None, :]) / (count - 1.0)
        return mean, covariance

    def result(self) -> tf.Tensor:
        """Returns the Fréchet distance between the real and generated feature Gaussians."""
        mu1, sigma1 = self.statistics("real")
        mu2, sigma2 = self.statistics("generated")
        # Tr((s1 s2)^(1/2)) = sum sqrt(eig(s1^(1/2) s2 s1^(1/2))): symmetric, no complex parts.
        values, vectors = tf.linalg.eigh(sigma1)
        sqrt_sigma1 = (vectors * tf.sqrt(tf.maximum(values, 0.0))) @ tf.transpose(vectors)
        middle = sqrt_sigma1 @ sigma2 @ sqrt_sigma1
        middle = (middle + tf.transpose(middle)) / 2.0
        trace_covmean = tf.reduce_sum(tf.sqrt(tf.maximum(tf.linalg.eigvalsh(middle), 0.0)))
        diff = mu1 - mu2
        distance = (
            tf.reduce_sum(diff * diff)
            + tf.linalg.trace(sigma1)
            + tf.linalg.trace(sigma2)
            - 2.0 * trace_covmean
        )
        return tf.cast(distance, self.dtype)

    def reset_state(self) -> None:
        """Zeroes the running sums of both sets."""
        for variables in self._sums.values():
            for variable in variables:
                variable.assign(tf.zeros_like(variable))
