"""Kernel distance between two sets of features (the formula behind KID).

KID (Bińkowski et al., 2018, "Demystifying MMD GANs") is the squared maximum mean discrepancy
with the cubic polynomial kernel

    k(x, y) = (x . y / d + 1) ** 3        (d = feature dimension)

estimated without bias on random subsets of `m` rows of each set:

    MMD^2 = sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (m (m - 1))
            - 2 sum_{i, j} k(x_i, y_j) / m^2

and averaged over subsets. Unlike the Fréchet distance it is unbiased for small sets, and it can
be slightly negative when both sets come from one distribution. A set against itself gives
`-2 (A - B) / m` (A: mean of k(x_i, x_i), B: mean of k(x_i, x_j) for i != j), not exactly 0: it
vanishes as `1 / m`.

`kernel_distance` is the NumPy estimator (subsets drawn with `numpy.random.default_rng(seed)`).
`KernelDistance` is a Keras metric that keeps the first `max_samples` features of each set in
fixed-size variables and evaluates the same estimator in TensorFlow with fixed-shape operations
(subsets are chosen by ranking stateless random keys, so it also runs under XLA). Both are exact,
and equal, when one subset covers both sets (`num_subsets=1`, equal set sizes `<= subset_size`);
otherwise they draw different random subsets.
"""

from collections.abc import Callable

import numpy as np
import tensorflow as tf

from keras_gan.api_export import keras_gan_export
from keras_gan.metrics.feature_metric import FeatureMetric


def _check_features(features: np.ndarray, name: str) -> np.ndarray:
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2:
        raise ValueError(f"`{name}` must be a matrix [N, D]. Received shape: {features.shape}")
    if features.shape[0] < 2:
        raise ValueError(
            f"`{name}` needs at least 2 samples for the unbiased kernel distance. "
            f"Received: {features.shape[0]} sample(s)"
        )
    if not np.isfinite(features).all():
        raise ValueError(f"`{name}` holds NaN or infinite values.")
    return features


def _check_subsets(num_subsets: int, subset_size: int) -> None:
    if int(num_subsets) < 1:
        raise ValueError(f"`num_subsets` must be at least 1. Received: num_subsets={num_subsets}")
    if int(subset_size) < 2:
        raise ValueError(f"`subset_size` must be at least 2. Received: subset_size={subset_size}")


def _polynomial_mmd2(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 between the rows of `x` and `y` (both `[m, d]`), cubic kernel."""
    m, dim = x.shape
    k_xx = (x @ x.T / dim + 1.0) ** 3
    k_yy = (y @ y.T / dim + 1.0) ** 3
    k_xy = (x @ y.T / dim + 1.0) ** 3
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    return float(within - 2.0 * k_xy.mean())


def kernel_distance(
    features_a: np.ndarray,
    features_b: np.ndarray,
    num_subsets: int = 100,
    subset_size: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """Returns the kernel (inception) distance `(mean, std)` over random subsets.

    Args:
        features_a: features `[N, D]` of one set (for example real images).
        features_b: features `[M, D]` of the other set.
        num_subsets: how many random subsets to average over.
        subset_size: rows per subset, capped at `min(N, M)`; rows are drawn without
            replacement within a subset.
        seed: seed of the NumPy generator that draws the subsets.

    Returns:
        The mean and the (population) standard deviation of the unbiased MMD^2 estimates.
        The mean is what papers report as KID (often multiplied by 1000).
    """
    features_a = _check_features(features_a, "features_a")
    features_b = _check_features(features_b, "features_b")
    if features_a.shape[1] != features_b.shape[1]:
        raise ValueError(
            f"Feature dimensions differ: `features_a` has D={features_a.shape[1]}, "
            f"`features_b` has D={features_b.shape[1]}."
        )
    _check_subsets(num_subsets, subset_size)
    size = min(int(subset_size), len(features_a), len(features_b))
    rng = np.random.default_rng(seed)
    estimates = []
    for _ in range(int(num_subsets)):
        a = features_a[rng.choice(len(features_a), size, replace=False)]
        b = features_b[rng.choice(len(features_b), size, replace=False)]
        estimates.append(_polynomial_mmd2(a, b))
    return float(np.mean(estimates)), float(np.std(estimates))


@keras_gan_export("keras_gan.metrics.KernelDistance")
class KernelDistance(FeatureMetric):
    """Kernel distance (KID) between features of real and generated images.

    Keeps the features of the first `max_samples` real and the first `max_samples` generated
    images (later ones are ignored until `reset_state`), so the memory is fixed:
    `2 * max_samples * feature_dim` float32 values. `result()` is the mean of the unbiased
    MMD^2 over `num_subsets` random subsets of `min(subset_size, real count, generated count)`
    rows, as `kernel_distance` computes it; the subsets depend only on `seed` and the counts.

    Args:
        feature_extractor: maps images to features `[N, D]`: a Keras model/layer (called with
            `training=False`) or any callable.
        feature_dim: `D`; inferred from `feature_extractor.output_shape` when not given.
        max_samples: how many images of each set are kept.
        num_subsets: random subsets averaged in `result()`.
        subset_size: rows per subset (capped by the counts).
        seed: seed of the subsets.
        name, dtype: as for any Keras metric (`result()` is computed in float64, then cast).

    `update_state(real_images, generated_images)` adds either set (pass `None` to skip one); the
    positional order is Keras' `(y_true, y_pred)`, so the metric works in `compile(metrics=...)`.
    `result()` needs at least 2 of each. Under a distribution strategy only the first replica's
    features are kept.
    """

    def __init__(
        self,
        feature_extractor: Callable,
        feature_dim: int | None = None,
        max_samples: int = 2000,
        num_subsets: int = 100,
        subset_size: int = 1000,
        seed: int = 0,
        name: str = "kernel_distance",
        dtype=None,
    ):
        super().__init__(feature_extractor, feature_dim, name=name, dtype=dtype)
        if int(max_samples) < 2:
            raise ValueError(
                f"`max_samples` must be at least 2. Received: max_samples={max_samples}"
            )
        _check_subsets(num_subsets, subset_size)
        self.max_samples = int(max_samples)
        self.num_subsets = int(num_subsets)
        self.subset_size = int(subset_size)
        self.seed = int(seed)
        self._buffers = {}
        for role in ("real", "generated"):
            self._buffers[role] = (
                self.add_variable(
                    (),
                    "zeros",
                    dtype="int32",
                    aggregation="only_first_replica",
                    name=f"{role}_count",
                ),
                self.add_variable(
                    (self.max_samples, self.feature_dim),
                    "zeros",
                    dtype="float32",
                    aggregation="only_first_replica",
                    name=f"{role}_features",
                ),
            )

    def update_state(self, real_images=None, generated_images=None, sample_weight=None) -> None:
        """Stores the features of `real_images` and/or `generated_images` while there is room."""
        if sample_weight is not None:
            raise ValueError("`KernelDistance` does not support `sample_weight`.")
        for role, images in (("real", real_images), ("generated", generated_images)):
            if images is None:
                continue
            features = self.extract_features(images)
            count, buffer = self._buffers[role]
            count_value = tf.convert_to_tensor(count)
            rows = tf.shape(features)[0]
            # Rows past the capacity go to one extra scratch row that is then dropped, so all
            # shapes stay fixed (no data-dependent slicing).
            slots = tf.minimum(count_value + tf.range(rows), self.max_samples)
            padded = tf.concat(
                [tf.convert_to_tensor(buffer), tf.zeros((1, self.feature_dim), tf.float32)], 0
            )
            padded = tf.tensor_scatter_nd_update(padded, slots[:, None], features)
            buffer.assign(padded[: self.max_samples])
            count.assign(tf.minimum(count_value + rows, self.max_samples))

    def counts(self) -> dict[str, int]:
        """Returns how many real and generated feature rows are stored (eagerly)."""
        return {role: int(count.numpy()) for role, (count, _) in self._buffers.items()}

    def _subset_masks(self, count: tf.Tensor, size: tf.Tensor, stream: int) -> tf.Tensor:
        """`[num_subsets, max_samples]` 0/1 masks, each with `size` ones among the first `count`."""
        seed = tf.constant([self.seed, stream], tf.int32)
        keys = tf.random.stateless_uniform((self.num_subsets, self.max_samples), seed=seed)
        stored = tf.range(self.max_samples) < count
        keys = tf.where(stored[None, :], keys, 2.0)  # empty rows rank last
        ranks = tf.argsort(tf.argsort(keys, axis=1), axis=1)
        return tf.cast(ranks < size, tf.float64)

    def result(self) -> tf.Tensor:
        """Returns the KID mean over subsets (NaN inside a graph with fewer than 2 of a set)."""
        real_count, real = (tf.convert_to_tensor(v) for v in self._buffers["real"])
        fake_count, fake = (tf.convert_to_tensor(v) for v in self._buffers["generated"])
        if tf.executing_eagerly():
            for role, count in (("real", real_count), ("generated", fake_count)):
                if count < 2:
                    raise ValueError(
                        f"`KernelDistance` needs at least 2 {role} samples. "
                        f"Received: {int(count)} sample(s)"
                    )
        size = tf.minimum(tf.minimum(real_count, fake_count), self.subset_size)
        x, y = tf.cast(real, tf.float64), tf.cast(fake, tf.float64)

        def kernel(a, b):
            return (tf.matmul(a, b, transpose_b=True) / self.feature_dim + 1.0) ** 3

        w_x = self._subset_masks(real_count, size, 0)
        w_y = self._subset_masks(fake_count, size, 1)

        def within(w, k):
            quadratic = tf.reduce_sum(tf.matmul(w, k) * w, axis=1)
            return quadratic - tf.linalg.matvec(w, tf.linalg.diag_part(k))

        m = tf.cast(size, tf.float64)
        between = tf.reduce_sum(tf.matmul(w_x, kernel(x, y)) * w_y, axis=1)
        estimates = (within(w_x, kernel(x, x)) + within(w_y, kernel(y, y))) / (m * (m - 1.0))
        estimates -= 2.0 * between / (m * m)
        return tf.cast(tf.reduce_mean(estimates), self.dtype)

    def reset_state(self) -> None:
        """Forgets the stored features of both sets."""
        for count, buffer in self._buffers.values():
            count.assign(0)
            buffer.assign(tf.zeros_like(buffer))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            max_samples=self.max_samples,
            num_subsets=self.num_subsets,
            subset_size=self.subset_size,
            seed=self.seed,
        )
        return config
