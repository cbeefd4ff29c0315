"""The SavedModel serving signatures, with pre- and post-processing inside the graph.

- `serving_default`: image-to-image: uint8 `images` [N, H, W, C] (any H, W: padded to
  the network's multiple and cropped back) -> uint8 `images`; noise-to-image: float32
  `z` [N, D] (+ int32 `labels` / `codes` [N], float32 `continuous` [N, K]) -> uint8
  `images`.
- `serving_bytes` (image-to-image only): encoded PNG/JPEG strings `image_bytes` [N]
  -> PNG strings `image_bytes` [N]; each image keeps its own size.
- `serving_float`: the network itself, float32 [-1, 1] in and out (used by the
  parity check).

Multi-style networks take an int32 `style` [N] in every signature (no default).
"""

from __future__ import annotations

import tensorflow as tf

from keras_gan.export.network import ExportNetwork

SIGNATURE_DEFAULT = "serving_default"
SIGNATURE_BYTES = "serving_bytes"
SIGNATURE_FLOAT = "serving_float"


def to_unit(images):
    """uint8 [0, 255] -> float32 [-1, 1] (x / 127.5 - 1)."""
    return tf.cast(images, tf.float32) / 127.5 - 1.0


def to_uint8(images):
    """float [-1, 1] -> uint8, rounded and clipped ((y + 1) * 127.5)."""
    return tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)


def _edge_pad(images, pad, axis):
    last = tf.gather(images, [tf.shape(images)[axis] - 1], axis=axis)
    return tf.concat([images, tf.repeat(last, pad, axis=axis)], axis=axis)


def pad_to_multiple(images, multiple: int):
    """Pads [N, H, W, C] at the bottom and right to multiples of `multiple`.

    Reflection when both sides are longer than their padding, else edge padding, as
    `keras_gan.utils.tiling.pad_to_multiple` (what `keras-gan predict` does).
    """
    if multiple == 1:
        return images
    height, width = tf.shape(images)[1], tf.shape(images)[2]
    pad_h, pad_w = -height % multiple, -width % multiple

    def reflect():
        return tf.pad(images, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]], mode="REFLECT")

    def edge():
        return _edge_pad(_edge_pad(images, pad_h, 1), pad_w, 2)

    return tf.cond(tf.logical_and(pad_h < height, pad_w < width), reflect, edge)


def _specs(spec: ExportNetwork, image_dtype, image_name="images", batch_shape=None):
    result = []
    for index, item in enumerate(spec.inputs):
        if index == 0 and spec.kind == "image":
            shape = batch_shape if batch_shape is not None else (None, *item.shape)
            result.append(tf.TensorSpec(shape, image_dtype, name=image_name))
        else:
            result.append(tf.TensorSpec((None, *item.shape), item.dtype, name=item.name))
    return result


def float_signature(spec: ExportNetwork):
    """`(fn, input_signature)` of `serving_float`: the network on [-1, 1] floats."""

    def serving_float(*inputs):
        return {"images": tf.cast(spec.call(list(inputs)), tf.float32)}

    return serving_float, _specs(spec, tf.float32)


def _run_uint8(spec: ExportNetwork, images, rest):
    """uint8 images (+ other inputs) -> uint8 outputs, padding to the multiple and back."""
    height, width = tf.shape(images)[1], tf.shape(images)[2]
    padded = pad_to_multiple(to_unit(images), spec.multiple)
    outputs = tf.cast(spec.call([padded, *rest]), tf.float32)
    outputs = outputs[:, : height * spec.scale, : width * spec.scale, :]
    return to_uint8(outputs)


def uint8_signature(spec: ExportNetwork):
    """`(fn, input_signature)` of `serving_default`: uint8 images out."""
    if spec.kind == "noise":

        def serving_default(*inputs):
            return {"images": to_uint8(tf.cast(spec.call(list(inputs)), tf.float32))}

        return serving_default, _specs(spec, tf.float32)

    def serving_default(images, *rest):
        return {"images": _run_uint8(spec, images, rest)}

    return serving_default, _specs(spec, tf.uint8)


def bytes_signature(spec: ExportNetwork):
    """`(fn, input_signature)` of `serving_bytes`: encoded images in, PNG strings out."""
    if spec.kind != "image":
        raise ValueError(f"{spec.family} generates from noise: it has no serving_bytes.")
    channels = spec.channels

    def one(arguments):
        encoded, *rest = arguments
        image = tf.io.decode_image(encoded, channels=channels, expand_animations=False)
        image.set_shape([None, None, channels])
        rest = [tf.expand_dims(value, 0) for value in rest]
        output = _run_uint8(spec, image[None], rest)[0]
        return tf.io.encode_png(output)

    def serving_bytes(image_bytes, *rest):
        encoded = tf.map_fn(one, (image_bytes, *rest), fn_output_signature=tf.string)
        return {"image_bytes": encoded}

    return serving_bytes, _specs(spec, tf.string, "image_bytes", (None,))
