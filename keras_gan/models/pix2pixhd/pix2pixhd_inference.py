"""Pix2PixHD inference: `predict_images` and the exported network."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.pix2pixhd.pix2pixhd_layers import LabelMapInput


def _id_maps(maps, name: str) -> np.ndarray:
    """int32 [N, H, W] from int maps [N, H, W], [N, H, W, 1] or one map [H, W]."""
    maps = np.asarray(maps)
    if maps.ndim == 4 and maps.shape[-1] == 1:
        maps = maps[..., 0]
    if maps.ndim == 2:
        maps = maps[None]
    if maps.ndim != 3:
        raise ValueError(f"{name} must be id maps [N, H, W]. Received: shape {maps.shape}")
    if maps.dtype.kind not in "iu":
        if not np.all(np.equal(np.round(maps), maps)):
            raise ValueError(f"{name} must hold integer ids. Received dtype {maps.dtype}")
    return maps.astype("int32")


def predict(
    model, labels, instances, features, photos, clusters, seed: int, batch_size: int
) -> np.ndarray:
    """`Pix2PixHD.predict_images`: float32 images [N, H, W, output_nc] in [-1, 1]."""
    from keras_gan.models.pix2pixhd.pix2pixhd_clusters import features_from_clusters

    labels = _id_maps(labels, "labels")
    if instances is None and model.needs_instances:
        raise ValueError(
            "This Pix2PixHD uses instance maps (use_instance or instance_feat): pass "
            "`instances`, int ids [N, H, W]."
        )
    instances = None if instances is None else _id_maps(instances, "instances")
    if instances is not None and instances.shape != labels.shape:
        raise ValueError(
            f"labels and instances differ in shape: {labels.shape} and {instances.shape}"
        )
    if clusters and not model.feature_clusters:
        raise ValueError("This model has no feature clusters: call fit_feature_clusters first.")
    if model.instance_feat and features is None and photos is None and model.feature_clusters:
        features = features_from_clusters(
            model.feature_clusters, instances, model.feat_num, clusters, seed
        )
    multiple = model.size_multiple
    if labels.shape[1] % multiple or labels.shape[2] % multiple:
        raise ValueError(
            f"Label maps' sides must be multiples of {multiple}. Received: {labels.shape[1:]}"
        )
    extras = {"features": features, "photos": photos}
    for name, value in extras.items():
        if value is not None:
            value = np.asarray(value, "float32")
            if value.shape[:3] != labels.shape:
                raise ValueError(
                    f"{name} must be [N, H, W, C] with the labels' N, H, W {labels.shape}. "
                    f"Received: shape {value.shape}"
                )
            extras[name] = value
    outputs = []
    for start in range(0, len(labels), max(1, int(batch_size))):
        part = slice(start, start + max(1, int(batch_size)))

        def take(value, part=part):
            return None if value is None else tf.constant(value[part])

        net_input = model.generator_input(
            take(labels), take(instances), take(extras["features"]), take(extras["photos"])
        )
        outputs.append(np.asarray(model.generator(net_input, training=False), "float32"))
    return np.concatenate(outputs)


def export_network(model, direction=None):
    """The generator behind `LabelMapInput`: a label image [N, H, W, 3] (label id, instance
    id low and high bytes, as uint8) and, with features, per-class features [N, label_nc,
    feat_num] in [-1, 1]."""
    from keras_gan.export.network import ExportNetwork, InputSpec

    if direction is not None:
        raise ValueError(f"Pix2PixHD has one generator. Received: direction={direction!r}")
    images = keras.Input((None, None, 3), name="images")
    specs = [InputSpec("images", (None, None, 3), "float32")]
    feat_num = model.feat_num if model.instance_feat else 0
    inputs = images
    if feat_num:
        features = keras.Input((model.label_nc, feat_num), name="class_features")
        specs.append(InputSpec("class_features", (model.label_nc, feat_num), "float32"))
        inputs = [images, features]
    front = LabelMapInput(model.label_nc, model.use_instance, feat_num, name="label_map_input")
    wrapper = keras.Model(inputs, model.generator(front(inputs)), name="generator")
    return ExportNetwork(
        network=wrapper,
        kind="image",
        inputs=tuple(specs),
        channels=3,
        output_channels=model.output_nc,
        scale=1,
        multiple=model.size_multiple,
        natural_size=model.image_size,
        family="Pix2PixHD",
    )


def encode(model, labels, instances, photos, batch_size: int) -> dict:
    """`Pix2PixHD.encode_features`: class -> rows [features..., relative area]."""
    from keras_gan.models.pix2pixhd.pix2pixhd_clusters import instance_features

    if model.encoder is None:
        raise ValueError("This Pix2PixHD has no encoder: build it with instance_feat=True.")
    labels = _id_maps(labels, "labels")
    instances = _id_maps(instances, "instances")
    photos = np.asarray(photos, "float32")
    if instances.shape != labels.shape or photos.shape[:3] != labels.shape:
        raise ValueError(
            f"labels {labels.shape}, instances {instances.shape} and photos {photos.shape} "
            "must share N, H, W."
        )
    rows: dict[int, list] = {}
    step = max(1, int(batch_size))
    for start in range(0, len(labels), step):
        part = slice(start, start + step)
        features = np.asarray(model.encoder([photos[part], instances[part]], training=False))
        for label, found in instance_features(features, instances[part]).items():
            rows.setdefault(label, []).append(found)
    return {label: np.concatenate(found) for label, found in rows.items()}
