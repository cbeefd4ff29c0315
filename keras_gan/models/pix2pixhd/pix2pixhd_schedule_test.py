"""Pix2PixHD's coarse-to-fine schedule and its per-class feature clusters."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models.pix2pixhd import Pix2PixHD
from keras_gan.models.pix2pixhd import pix2pixhd_clusters as clusters
from keras_gan.models.pix2pixhd.pix2pixhd_data import label_maps_from_photos
from keras_gan.models.pix2pixhd.pix2pixhd_schedule import half_resolution, local_from_global
from keras_gan.testing.family_test_case import real_photos

TINY = Pix2PixHD.tiny_config


def _batch(size, n=2, label_nc=5):
    photos = real_photos(size, n)
    labels, instances = label_maps_from_photos(photos, label_nc)
    return labels, instances, photos


def test_kmeans_finds_separated_centres():
    rng = np.random.default_rng(0)
    truth = np.array([[-0.8, 0.0], [0.0, 0.8], [0.8, -0.5]])
    points = np.concatenate([c + 0.01 * rng.normal(size=(30, 2)) for c in truth])
    found = clusters.kmeans(points, 3)
    order = np.argsort(found[:, 0])
    np.testing.assert_allclose(found[order], truth[np.argsort(truth[:, 0])], atol=0.01)


def test_cluster_features_keeps_large_instances_and_caps_k():
    rows = {
        3: np.array([[0.1, 0.9], [0.2, 0.1], [0.3, 2.0]], "float32"),  # one too small
        4: np.array([[0.5, 0.2]], "float32"),  # only too small instances: no clusters
    }
    found = clusters.cluster_features(rows, n_clusters=10)
    assert set(found) == {3} and found[3].shape == (2, 1)
    np.testing.assert_allclose(np.sort(found[3][:, 0]), [0.1, 0.3], atol=1e-6)


def test_clusters_paint_chosen_instances_and_travel_with_the_config():
    model = Pix2PixHD(**TINY)
    labels, instances, photos = _batch(model.image_size)
    found = model.fit_feature_clusters(labels, instances, photos, n_clusters=2)
    assert found and all(c.shape[1] == model.feat_num for c in found.values())
    label = max((k for k in found if k > 0), key=lambda k: len(found[k]))  # a "thing" class
    assert len(found[label]) == 2
    ids = instances[:1]
    first = clusters.features_from_clusters(found, ids, 3, {label: 0})
    second = clusters.features_from_clusters(found, ids, 3, {label: 1})
    changed = np.any(first != second, axis=-1)[0]
    np.testing.assert_array_equal(changed, (ids[0] // 1000 == label))
    one = label * 1000 + 1  # only the right-hand instance of the class
    third = clusters.features_from_clusters(found, ids, 3, {label: 0, one: 1})
    np.testing.assert_array_equal(np.any(first != third, axis=-1)[0], ids[0] == one)
    a = model.predict_images(labels, instances, clusters={label: 0})
    b = model.predict_images(labels, instances, clusters={label: 1})
    assert not np.allclose(a, b)
    restored = Pix2PixHD.from_config(model.get_config())
    restored.set_weights(model.get_weights())
    np.testing.assert_allclose(restored.predict_images(labels, instances, clusters={label: 1}), b)
    np.testing.assert_allclose(model.class_features({label: 1})[label], found[label][1])
    with pytest.raises(ValueError, match="has 2 feature clusters"):
        model.predict_images(labels, instances, clusters={label: 5})


def test_half_resolution_keeps_ids_and_averages_photos():
    labels, instances, photos = _batch(16)
    small = half_resolution(labels, instances, photos)
    assert [tuple(t.shape) for t in small] == [(2, 8, 8), (2, 8, 8), (2, 8, 8, 3)]
    np.testing.assert_array_equal(small[0], labels[:, ::2, ::2])
    np.testing.assert_allclose(small[2][0, 0, 0], photos[0, :2, :2].mean((0, 1)), atol=1e-6)


def test_local_from_global_then_the_global_generator_is_fixed_for_niter_fix_global_epochs():
    options = {**TINY, "ngf": 8, "image_size": 8, "use_vgg_loss": False, "instance_feat": False}
    coarse = Pix2PixHD(**options)
    fine = local_from_global(coarse, n_local_enhancers=1, n_blocks_local=1, niter_fix_global=1)
    assert (fine.generator_type, fine.ngf, fine.image_size) == ("local", 4, 16)
    trunk = [layer for layer in fine.generator.layers if layer.name.startswith("global_")]
    for layer in trunk:
        trained = coarse.generator.get_layer(layer.name).get_weights()
        for a, b in zip(layer.get_weights(), trained, strict=True):
            np.testing.assert_array_equal(a, b)
    labels, instances, photos = _batch(16)
    fine.compile()
    snapshots = []

    class Snapshot(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append([np.array(w) for w in fine.generator.weights])

    names = [w.path for w in fine.generator.weights]
    data = tf.data.Dataset.from_tensors((labels, instances, photos)).repeat()
    fine.fit(data, epochs=2, steps_per_epoch=1, verbose=0, callbacks=[Snapshot()])
    start = [np.array(w) for w in local_from_global(coarse, 1, 1, 1).generator.weights]

    def moved(after, before, prefix):
        return any(
            np.any(a != b) for n, a, b in zip(names, after, before, strict=True) if prefix in n
        )

    assert not moved(snapshots[0], start, "global_")  # fixed in epoch 0
    assert moved(snapshots[0], start, "local1_")
    assert moved(snapshots[1], snapshots[0], "global_")  # trained from epoch 1
    with pytest.raises(ValueError, match="generator_type='local'"):
        Pix2PixHD(**{**TINY, "niter_fix_global": 2})
