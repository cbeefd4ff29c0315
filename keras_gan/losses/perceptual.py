"""Losses on feature maps: feature reconstruction, Gram-matrix style, total variation.

Pure functions of tensors (Johnson et al., "Perceptual Losses for Real-Time Style
Transfer and Super-Resolution"; Gatys et al., "Image Style Transfer Using
Convolutional Neural Networks"). All math is float32 whatever the inputs' dtype.
"""

from keras import ops


def _float32(x):
    return ops.cast(x, "float32")


def gram_matrix(features):
    """Channel correlations of `features` `[N, H, W, C]` -> `[N, C, C]`, divided by `H * W * C`."""
    features = _float32(features)
    if len(features.shape) != 4:
        raise ValueError(
            f"gram_matrix expects features [N, H, W, C]. Received: shape={features.shape}"
        )
    shape = ops.shape(features)
    flat = ops.reshape(features, (shape[0], -1, shape[3]))
    gram = ops.matmul(ops.transpose(flat, (0, 2, 1)), flat)
    size = ops.cast(shape[1] * shape[2] * shape[3], "float32")
    return gram / size


def feature_reconstruction_loss(a, b, norm: str = "l2"):
    """Mean squared (`norm="l2"`) or absolute (`norm="l1"`) difference of `a` and `b`, a scalar."""
    difference = _float32(a) - _float32(b)
    if norm == "l2":
        return ops.mean(ops.square(difference))
    if norm == "l1":
        return ops.mean(ops.abs(difference))
    raise ValueError(f'`norm` must be "l1" or "l2". Received: norm={norm!r}')


def style_loss(features, target_grams, layer_weights=None):
    """Sum over layers of `weight * mean((gram_matrix(f) - target) ** 2)`.

    Args:
        features: list of `[N, H, W, C]` feature maps of the images being styled.
        target_grams: list of `[N, C, C]` or `[1, C, C]` Gram matrices (a batch of
            one is broadcast over `N`), one per feature map.
        layer_weights: one float per layer; default 1 each.

    Returns:
        A float32 scalar.
    """
    features, target_grams = list(features), list(target_grams)
    if layer_weights is None:
        layer_weights = [1.0] * len(features)
    layer_weights = list(layer_weights)
    if not (len(features) == len(target_grams) == len(layer_weights)) or not features:
        raise ValueError(
            "style_loss needs one target Gram matrix and one weight per feature map. "
            f"Received: {len(features)} feature maps, {len(target_grams)} targets, "
            f"{len(layer_weights)} weights"
        )
    total = ops.zeros((), "float32")
    for feature, target, weight in zip(features, target_grams, layer_weights, strict=True):
        difference = gram_matrix(feature) - _float32(target)
        total = total + ops.cast(weight, "float32") * ops.mean(ops.square(difference))
    return total


def total_variation_loss(images):
    """Mean absolute difference between vertically and horizontally neighbouring pixels.

    One mean over every neighbouring pair (and channel) of `images` `[N, H, W, C]`, a scalar.
    """
    images = _float32(images)
    if len(images.shape) != 4:
        raise ValueError(
            f"total_variation_loss expects images [N, H, W, C]. Received: shape={images.shape}"
        )
    vertical = ops.abs(images[:, 1:] - images[:, :-1])
    horizontal = ops.abs(images[:, :, 1:] - images[:, :, :-1])
    count = ops.cast(ops.size(vertical) + ops.size(horizontal), "float32")
    return (ops.sum(vertical) + ops.sum(horizontal)) / ops.maximum(count, 1.0)
