"""StarGAN's domain vectors: batches to generator vectors, target domains, sheets, export.

A generator vector is `[labels of data set 0 (c_dim), labels of data set 1 (c2_dim),
mask (2)]` with two data sets (the reference's `Both` mode), and just the labels with one.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

# The reference's `create_labels`: one of these set, the others cleared.
HAIR_COLOURS = ("Black_Hair", "Blond_Hair", "Brown_Hair", "Gray_Hair")


def _slices(model):
    """`(start, stop, label_mode)` of each data set's labels in a generator vector."""
    slices = [(0, model.c_dim, model.label_mode)]
    if model.c2_dim:
        slices.append((model.c_dim, model.num_domains, model.label_mode2))
    return slices


def _with_mask(model, labels: np.ndarray, dataset: np.ndarray) -> np.ndarray:
    if not model.c2_dim:
        return labels.astype("float32")
    mask = np.eye(2, dtype="float32")[np.asarray(dataset, "int64")]
    return np.concatenate([labels.astype("float32"), mask], axis=-1)


def domain_vectors(model, labels, dataset=None) -> np.ndarray:
    """Generator vectors [N, vector_dim] from domain indices [N] or vectors [N, K]."""
    labels = np.asarray(labels)
    if labels.ndim == 0:
        labels = labels[None]
    if labels.ndim == 1 and labels.dtype.kind in "iu":
        if labels.size and (labels.min() < 0 or labels.max() >= model.num_domains):
            raise ValueError(
                f"Domain indices must be in [0, {model.num_domains}). Received: {labels.tolist()}"
            )
        vectors = np.eye(model.num_domains, dtype="float32")[labels]
        return _with_mask(model, vectors, (labels >= model.c_dim).astype("int64"))
    if labels.ndim == 2 and labels.shape[-1] == model.vector_dim:
        return labels.astype("float32")
    if labels.ndim == 2 and labels.shape[-1] == model.num_domains:
        if dataset is None:
            dataset = np.any(labels[:, model.c_dim :] != 0, axis=-1).astype("int64")
        return _with_mask(model, labels, dataset)
    raise ValueError(
        f"Target labels must be domain indices [N] or vectors [N, {model.num_domains}] "
        f"(or [N, {model.vector_dim}] with the mask). Received: {labels.dtype} {labels.shape}"
    )


def unpack_batch(model, data):
    """`(images float32, generator vectors [N, vector_dim], data set ids int32 [N])`."""
    expected = 3 if model.c2_dim else 2
    if not isinstance(data, (tuple, list)) or len(data) != expected:
        form = "(images, labels, dataset)" if model.c2_dim else "(images, labels)"
        raise ValueError(f"StarGAN trains on batches of {form}; the dataset yields {data!r:.80}.")
    images = tf.cast(data[0], tf.float32)
    if images.shape.rank != 4:
        raise ValueError(f"images must have rank 4 [N, H, W, C]; got shape {images.shape}.")
    labels = data[1]
    if model.c2_dim:
        dataset = tf.cast(tf.reshape(data[2], [-1]), tf.int32)
        mask = tf.one_hot(dataset, 2)
        return images, tf.concat([tf.cast(labels, tf.float32), mask], -1), dataset
    dataset = tf.zeros(tf.shape(images)[:1], tf.int32)
    rank = labels.shape.rank
    if labels.dtype.is_integer and (rank == 1 or (rank == 2 and labels.shape[-1] == 1)):
        if model.label_mode != "one_hot":
            raise ValueError(
                "label_mode='attributes' trains on binary vectors [N, c_dim]; the batch has "
                f"integer labels of shape {labels.shape} (use label_mode='one_hot')."
            )
        return images, tf.one_hot(tf.reshape(labels, [-1]), model.c_dim), dataset
    if labels.shape.rank != 2 or labels.shape[-1] != model.c_dim:
        raise ValueError(f"labels must be [N] ints or [N, {model.c_dim}]; got {labels.shape}.")
    return images, tf.cast(labels, tf.float32), dataset


def _targets_of_slice(model, source, start, stop, mode, dataset):
    count = stop - start
    names = (model.domain_names or [None] * model.num_domains)[start:stop]
    hair = [i for i, name in enumerate(names) if name in HAIR_COLOURS]
    vectors = []
    for i in range(count):
        labels = np.zeros((len(source), model.num_domains), "float32")
        if mode == "one_hot":
            labels[:, start + i] = 1.0
        else:
            own = source[:, start:stop].copy()
            if i in hair:
                own[:, hair] = 0.0
                own[:, i] = 1.0
            else:
                own[:, i] = (own[:, i] == 0).astype("float32")  # reverse the attribute
            labels[:, start:stop] = own
        vectors.append(_with_mask(model, labels, np.full(len(source), dataset)))
    return vectors


def target_vectors(model, source: np.ndarray) -> list[np.ndarray]:
    """The reference's `create_labels`: a vector [N, vector_dim] per target domain.

    One-hot data sets: each domain in turn. Attributes: each attribute of the source
    reversed in turn (a hair colour is set and the others cleared). Data set 0's
    domains come first, then data set 1's (as `test_multi`).
    """
    source = domain_vectors(model, source)
    vectors = []
    for dataset, (start, stop, mode) in enumerate(_slices(model)):
        vectors += _targets_of_slice(model, source, start, stop, mode, dataset)
    return vectors


def classify(model, images: np.ndarray) -> np.ndarray:
    """Source vectors guessed by the discriminator's domain head (data set 0 in mask mode)."""
    size = (model.image_size, model.image_size)
    resized = images if images.shape[1:3] == size else tf.image.resize(images, size).numpy()
    _, logits = model.discriminator.predict(resized, verbose=0)
    start, stop, mode = _slices(model)[0]
    logits = np.asarray(logits)[:, start:stop]
    labels = np.zeros((len(images), model.num_domains), "float32")
    if mode == "one_hot":
        labels[np.arange(len(images)), logits.argmax(-1)] = 1.0
    else:
        labels[:, start:stop] = (logits > 0).astype("float32")
    return _with_mask(model, labels, np.zeros(len(images), "int64"))


def sheet(model, images: np.ndarray, source=None) -> np.ndarray:
    """[N * (1 + num_domains), H, W, C]: per image, the input then each target domain."""
    from keras_gan.models.image_translation.translation_model import interleave

    source = classify(model, images) if source is None else source
    outputs = [model.predict_images(images, v) for v in target_vectors(model, source)]
    return interleave(images, *outputs)


def file_sheet(model, image: np.ndarray) -> np.ndarray:
    """One uint8 image [H, W, C] -> uint8 [H, W * (1 + num_domains), C]: input | each domain."""
    from keras_gan.prediction import to_channels

    image = np.asarray(image)
    if image.shape[-1] != model.channels:
        image = to_channels(image, model.channels)
    floats = image.astype("float32")[None] / 127.5 - 1.0
    rows = sheet(model, floats)
    if model.channels == 1:
        rows = rows[..., :1]
    strip = np.concatenate(list(rows), axis=1)
    return np.clip(np.round((strip + 1.0) * 127.5), 0, 255).astype(np.uint8)


def pad_to_multiple(images: np.ndarray, multiple: int) -> np.ndarray:
    """Pads [N, H, W, C] at the bottom and right to multiples (reflect, else edge)."""
    pad_h, pad_w = -images.shape[1] % multiple, -images.shape[2] % multiple
    if not pad_h and not pad_w:
        return images
    small = pad_h >= images.shape[1] or pad_w >= images.shape[2]
    return np.pad(images, [(0, 0), (0, pad_h), (0, pad_w), (0, 0)], "edge" if small else "reflect")


def export_network(model, direction=None):
    """The generator with two inputs: float32 `images` and the `domains` vector."""
    from keras_gan.export.network import ExportNetwork, InputSpec

    if direction is not None:
        raise ValueError(f"StarGAN has one generator. Received: direction={direction!r}")
    return ExportNetwork(
        network=model.generator,
        kind="image",
        inputs=(
            InputSpec("images", (None, None, model.channels), "float32"),
            InputSpec("domains", (model.vector_dim,), "float32"),
        ),
        channels=model.channels,
        output_channels=model.channels,
        scale=1,
        multiple=model.size_multiple,
        natural_size=model.image_size,
        family="StarGAN",
    )
