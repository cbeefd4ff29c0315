"""Pix2PixHD's losses (NVIDIA/pix2pixHD `models/networks.py`, `models/pix2pixHD_model.py`).

Pure functions of the multi-scale discriminator's outputs, grouped per scale (a list of
`n_layers + 2` tensors per scale, the prediction last) and of VGG features.
"""

from __future__ import annotations

import tensorflow as tf

# The reference's VGGLoss weights, shallowest layer first.
VGG_LAYER_WEIGHTS = (1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0)


def _f32(x):
    return tf.cast(x, tf.float32)


def group_scales(outputs, num_d: int) -> list[list]:
    """The discriminator's flat output list as `num_d` lists, one per scale."""
    outputs = list(outputs)
    if len(outputs) % int(num_d):
        raise ValueError(f"{len(outputs)} discriminator outputs do not split into {num_d} scales.")
    per_scale = len(outputs) // int(num_d)
    return [outputs[i * per_scale : (i + 1) * per_scale] for i in range(int(num_d))]


def lsgan_loss(scales, target_is_real: bool):
    """`GANLoss(use_lsgan=True)`: the sum over scales of mean((prediction - target) ** 2)."""
    target = 1.0 if target_is_real else 0.0
    return tf.add_n([tf.reduce_mean(tf.square(_f32(scale[-1]) - target)) for scale in scales])


def discriminator_feature_matching_loss(fake_scales, real_scales, n_layers: int):
    """The reference's `G_GAN_Feat` before `lambda_feat`: the mean absolute difference of
    each intermediate feature map (not the prediction), weighted 4 / (n_layers + 1) per
    layer and 1 / num_D per scale; the real features are constants."""
    layer_weight = 4.0 / (int(n_layers) + 1)
    scale_weight = 1.0 / len(fake_scales)
    total = tf.zeros((), tf.float32)
    for fake, real in zip(fake_scales, real_scales, strict=True):
        for fake_map, real_map in zip(fake[:-1], real[:-1], strict=True):
            difference = _f32(fake_map) - tf.stop_gradient(_f32(real_map))
            total += scale_weight * layer_weight * tf.reduce_mean(tf.abs(difference))
    return total


def weighted_feature_l1_loss(fake_features, real_features, weights=VGG_LAYER_WEIGHTS):
    """`VGGLoss` before `lambda_feat`: sum of weight * mean |fake - real| per layer, the
    real features constants."""
    if not (len(fake_features) == len(real_features) == len(weights)):
        raise ValueError(
            f"Expected one weight per feature map. Received: {len(fake_features)} fake, "
            f"{len(real_features)} real maps and {len(weights)} weights"
        )
    total = tf.zeros((), tf.float32)
    for fake, real, weight in zip(fake_features, real_features, weights, strict=True):
        difference = _f32(fake) - tf.stop_gradient(_f32(real))
        total += float(weight) * tf.reduce_mean(tf.abs(difference))
    return total
