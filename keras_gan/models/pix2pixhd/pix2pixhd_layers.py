"""Pix2PixHD's own layers and input encoding: label maps, instance boundaries, pooling.

- `one_hot_labels` / `instance_edges` / `semantic_input`: the reference's `encode_input`
  (one-hot of the label ids, then `get_edges` of the instance map: 1 where any of the 4
  neighbours has another instance id), in the graph.
- `InstanceAveragePooling`: the encoder's instance-wise average pooling.
- `PaddingExcludedAveragePooling2D`: `AvgPool2d(3, stride=2, padding=1,
  count_include_pad=False)`, the downsampling of the local enhancer's input pyramid and of
  the multi-scale discriminator.
- `LabelMapInput`: the exported network's front: a label image (label id, instance id
  bytes) and per-class features -> the generator's input.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from keras_gan.api_export import keras_gan_export


def _ids(maps) -> tf.Tensor:
    """int32 [N, H, W] from int maps [N, H, W] or [N, H, W, 1]."""
    maps = tf.convert_to_tensor(maps)
    if maps.shape.rank == 4:
        maps = maps[..., 0]
    if maps.shape.rank != 3:
        raise ValueError(f"Expected id maps [N, H, W] or [N, H, W, 1]. Received: {maps.shape}")
    return tf.cast(maps, tf.int32)


def one_hot_labels(labels, label_nc: int) -> tf.Tensor:
    """float32 [N, H, W, label_nc] one-hot of label ids; an id outside [0, label_nc) is all 0."""
    return tf.one_hot(_ids(labels), int(label_nc), dtype=tf.float32)


def instance_edges(instances) -> tf.Tensor:
    """float32 [N, H, W, 1]: 1 where a 4-neighbour has another instance id (`get_edges`)."""
    ids = _ids(instances)
    across = tf.cast(tf.not_equal(ids[:, :, 1:], ids[:, :, :-1]), tf.float32)
    down = tf.cast(tf.not_equal(ids[:, 1:], ids[:, :-1]), tf.float32)
    edges = tf.maximum(
        tf.pad(across, [[0, 0], [0, 0], [1, 0]]), tf.pad(across, [[0, 0], [0, 0], [0, 1]])
    )
    edges = tf.maximum(edges, tf.pad(down, [[0, 0], [1, 0], [0, 0]]))
    edges = tf.maximum(edges, tf.pad(down, [[0, 0], [0, 1], [0, 0]]))
    return edges[..., None]


def semantic_input(labels, instances, label_nc: int, features=None) -> tf.Tensor:
    """The generator's input: one-hot labels, the instance edges (if `instances` is not
    None), then `features` (if not None), along channels."""
    parts = [one_hot_labels(labels, label_nc)]
    if instances is not None:
        parts.append(instance_edges(instances))
    if features is not None:
        parts.append(tf.cast(features, tf.float32))
    return tf.concat(parts, axis=-1) if len(parts) > 1 else parts[0]


@keras_gan_export("keras_gan.models.pix2pixhd.InstanceAveragePooling")
class InstanceAveragePooling(keras.layers.Layer):
    """Replaces features [N, H, W, C] by their mean over each instance of each example.

    Call with `[features, instances]`, instances int ids [N, H, W] (or [N, H, W, 1]).
    Gradients flow to the features (each pixel gets its instance's mean gradient).
    """

    def call(self, inputs):
        features, instances = inputs
        ids = tf.cast(_ids(instances), tf.int64)
        shape = tf.shape(features)
        ids = ids - tf.reduce_min(ids)
        span = tf.reduce_max(ids) + 1
        batch = tf.range(tf.cast(shape[0], tf.int64), dtype=tf.int64)[:, None, None]
        _, segments = tf.unique(tf.reshape(ids + batch * span, [-1]))
        count = tf.reduce_max(segments) + 1
        flat = tf.reshape(tf.cast(features, tf.float32), [-1, shape[-1]])
        sums = tf.math.unsorted_segment_sum(flat, segments, count)
        sizes = tf.math.unsorted_segment_sum(tf.ones_like(flat[:, :1]), segments, count)
        means = tf.gather(sums / sizes, segments)
        return tf.cast(tf.reshape(means, shape), features.dtype)

    def compute_output_shape(self, input_shapes):
        return input_shapes[0]


@keras_gan_export("keras_gan.models.pix2pixhd.PaddingExcludedAveragePooling2D")
class PaddingExcludedAveragePooling2D(keras.layers.Layer):
    """3x3 average pooling, stride 2, one pixel of padding that the averages leave out.

    PyTorch's `AvgPool2d(3, stride=2, padding=[1, 1], count_include_pad=False)`: the
    output side is ceil(side / 2); border windows average only their real pixels.
    """

    def call(self, inputs):
        padded = tf.pad(inputs, [[0, 0], [1, 1], [1, 1], [0, 0]])
        ones = tf.pad(tf.ones_like(inputs[..., :1]), [[0, 0], [1, 1], [1, 1], [0, 0]])
        sums = tf.nn.avg_pool2d(padded, 3, 2, "VALID")
        counts = tf.nn.avg_pool2d(ones, 3, 2, "VALID")
        return sums / counts

    def compute_output_shape(self, input_shape):
        def half(side):
            return None if side is None else (side + 1) // 2

        return (input_shape[0], half(input_shape[1]), half(input_shape[2]), input_shape[3])


@keras_gan_export("keras_gan.models.pix2pixhd.LabelMapInput")
class LabelMapInput(keras.layers.Layer):
    """The exported network's front: a label image [N, H, W, 3] -> the generator's input.

    The image holds uint8 values mapped to [-1, 1] as every image export maps them (`x /
    127.5 - 1`); the layer recovers each as `round((x + 1) * 127.5)`: channel 0 is the
    label id, channels 1 and 2 the instance id's low and high bytes (ids up to 65535, as
    Cityscapes' `class * 1000 + k`). With `feat_num > 0` a second input, per-class
    features [N, label_nc, feat_num] (a cluster centre per class), paints each pixel
    with its class's features.

    Args:
        label_nc: label classes (the one-hot width).
        instances: whether the boundary map of the instance ids is an input channel.
        feat_num: feature channels of the generator's input (0: none).
    """

    def __init__(self, label_nc: int, instances: bool = True, feat_num: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.label_nc = int(label_nc)
        self.instances = bool(instances)
        self.feat_num = int(feat_num)

    def call(self, inputs):
        images = inputs[0] if self.feat_num else inputs
        values = tf.cast(tf.round((tf.cast(images, tf.float32) + 1.0) * 127.5), tf.int32)
        labels = values[..., 0]
        instances = values[..., 1] + 256 * values[..., 2] if self.instances else None
        features = None
        if self.feat_num:
            one_hot = one_hot_labels(labels, self.label_nc)
            shape = tf.shape(one_hot)
            flat = tf.reshape(one_hot, [shape[0], -1, self.label_nc])
            painted = tf.matmul(flat, tf.cast(inputs[1], tf.float32))
            features = tf.reshape(painted, [shape[0], shape[1], shape[2], self.feat_num])
        return semantic_input(labels, instances, self.label_nc, features)

    def compute_output_shape(self, input_shape):
        shape = input_shape[0] if self.feat_num else input_shape
        return (*shape[:3], self.label_nc + int(self.instances) + self.feat_num)

    def get_config(self):
        config = {"label_nc": self.label_nc, "instances": self.instances}
        return {**super().get_config(), **config, "feat_num": self.feat_num}
