"""What only Pix2PixHD does: reference parameter counts, its input encoding, pooling, losses."""

import gc

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models.pix2pixhd import Pix2PixHD
from keras_gan.models.pix2pixhd import pix2pixhd_losses as losses
from keras_gan.models.pix2pixhd import pix2pixhd_networks as networks
from keras_gan.models.pix2pixhd.pix2pixhd_data import label_maps_from_photos
from keras_gan.models.pix2pixhd.pix2pixhd_layers import (
    InstanceAveragePooling,
    LabelMapInput,
    PaddingExcludedAveragePooling2D,
    instance_edges,
    semantic_input,
)

TINY = Pix2PixHD.tiny_config

# Totals printed by NVIDIA/pix2pixHD models/networks.py (torch 2.13, sum(p.numel())) for the
# default options (label_nc 35, ngf 64, n_downsample_global 4, n_blocks_global 9, instance
# norm; local: n_local_enhancers 1, n_blocks_local 3; netD: ndf 64, n_layers_D 3, num_D 2,
# getIntermFeat; netE: nef 16, n_downsample_E 4, feat_num 3), input channels 35 + instance
# map (1) + features (3).
REFERENCE_G = {
    # (use_instance, instance_feat): (GlobalGenerator, LocalEnhancer)
    (True, False): (182_546_755, 731_036_355),
    (True, True): (182_556_163, 731_064_579),
    (False, False): (182_543_619, 731_026_947),
    (False, True): (182_553_027, 731_055_171),
}
REFERENCE_D = {38: 5_601_154, 39: 5_603_202}  # MultiscaleDiscriminator by input channels
REFERENCE_D_THREE_SCALES = {39: 8_404_803}  # num_D 3
REFERENCE_E = 788_803


@pytest.fixture
def cheap_weights(monkeypatch):
    """Zero-initialised float16 weights: the counts of 731M-parameter networks in seconds."""
    monkeypatch.setattr(networks, "conv_init", lambda: "zeros")
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float16")
    yield
    keras.config.set_dtype_policy(policy)
    gc.collect()


@pytest.mark.parametrize("generator_type", ["global", "local"])
@pytest.mark.parametrize("use_instance,instance_feat", sorted(REFERENCE_G))
def test_parameter_counts_match_the_reference(
    cheap_weights, generator_type, use_instance, instance_feat
):
    model = Pix2PixHD(
        generator_type=generator_type, use_instance=use_instance, instance_feat=instance_feat
    )
    expected = REFERENCE_G[(use_instance, instance_feat)][generator_type == "local"]
    assert model.generator.count_params() == expected
    assert model.discriminator.count_params() == REFERENCE_D[38 + use_instance]
    if instance_feat:
        assert model.encoder.count_params() == REFERENCE_E
    else:
        assert model.encoder is None
    del model


def test_three_scale_discriminator_matches_the_reference(cheap_weights):
    network = networks.build_multiscale_discriminator(39, num_d=3)
    assert network.count_params() == REFERENCE_D_THREE_SCALES[39]
    assert len(network.outputs) == 3 * (3 + 2)


def test_discriminator_returns_every_layer_per_scale():
    network = networks.build_multiscale_discriminator(6, ndf=4, n_layers=3, num_d=2)
    outputs = network(np.zeros((1, 64, 64, 6), "float32"))
    shapes = [tuple(o.shape[1:]) for o in outputs]
    # k4 s2 p2 convs: 64 -> 33 -> 17 -> 9, then k4 s1 p2: 10, 11; the second scale on 32.
    assert shapes[:5] == [(33, 33, 4), (17, 17, 8), (9, 9, 16), (10, 10, 32), (11, 11, 1)]
    assert shapes[5:] == [(17, 17, 4), (9, 9, 8), (5, 5, 16), (6, 6, 32), (7, 7, 1)]


def test_local_enhancer_runs_at_twice_the_global_resolution():
    network = networks.build_local_enhancer(5, 3, 4, 2, 1, 1, 1)
    names = [layer.name for layer in network.layers]
    assert "global_stem_conv" in names and "local1_head_conv" in names
    assert "global_head_conv" not in names  # the global net without its last layers
    assert network(np.zeros((2, 16, 24, 5), "float32")).shape == (2, 16, 24, 3)


def _reference_edges(t):
    """The reference's get_edges, in NumPy."""
    edge = np.zeros(t.shape, bool)
    edge[:, :, 1:] |= t[:, :, 1:] != t[:, :, :-1]
    edge[:, :, :-1] |= t[:, :, 1:] != t[:, :, :-1]
    edge[:, 1:, :] |= t[:, 1:, :] != t[:, :-1, :]
    edge[:, :-1, :] |= t[:, 1:, :] != t[:, :-1, :]
    return edge.astype("float32")


def test_instance_edges_are_the_references():
    ids = np.random.default_rng(0).integers(0, 3, (2, 7, 9)).astype("int32")
    np.testing.assert_array_equal(instance_edges(ids).numpy()[..., 0], _reference_edges(ids))
    flat = np.full((1, 4, 4), 26001, "int32")
    assert not instance_edges(flat).numpy().any()


def test_semantic_input_is_one_hot_then_edges_then_features():
    labels = np.array([[[0, 2], [1, 7]]], "int32")  # 7 is out of range: no class
    instances = np.array([[[5, 5], [5, 6]]], "int32")
    features = np.full((1, 2, 2, 3), 0.5, "float32")
    x = semantic_input(labels, instances, 3, features).numpy()
    assert x.shape == (1, 2, 2, 3 + 1 + 3)
    np.testing.assert_array_equal(x[0, 0, 1, :3], [0, 0, 1])
    np.testing.assert_array_equal(x[0, 1, 1, :3], [0, 0, 0])
    np.testing.assert_array_equal(x[0, :, :, 3], [[0, 1], [1, 1]])
    np.testing.assert_array_equal(x[..., 4:], features)


def test_instance_average_pooling_averages_each_instance_of_each_example():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(2, 5, 6, 3)).astype("float32")
    ids = rng.integers(0, 3, (2, 5, 6)).astype("int32")
    ids[1] += 1000  # ids need not be shared nor small across examples
    pooled = InstanceAveragePooling()([features, ids]).numpy()
    for b in range(2):
        for i in np.unique(ids[b]):
            mask = ids[b] == i
            np.testing.assert_allclose(pooled[b][mask], np.broadcast_to(
                features[b][mask].mean(0), pooled[b][mask].shape), rtol=1e-5)  # fmt: skip


def test_padding_excluded_average_pooling_is_torch_count_include_pad_false():
    x = np.arange(2 * 5 * 4 * 1, dtype="float32").reshape(2, 5, 4, 1)
    y = PaddingExcludedAveragePooling2D()(x).numpy()
    assert y.shape == (2, 3, 2, 1)
    padded = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)], constant_values=np.nan)
    for i in range(3):
        for j in range(2):
            window = padded[:, 2 * i : 2 * i + 3, 2 * j : 2 * j + 3]
            np.testing.assert_allclose(y[:, i, j], np.nanmean(window, axis=(1, 2)), rtol=1e-6)


def test_label_map_input_recovers_ids_from_uint8_coded_images():
    labels = np.array([[[1, 2], [3, 4]]], "int32")
    instances = np.array([[[300, 300], [2, 26001 % 65536]]], "int32")
    coded = np.stack([labels, instances % 256, instances // 256], -1).astype("float32")
    class_features = np.linspace(-1, 1, 5 * 2, dtype="float32").reshape(1, 5, 2)
    layer = LabelMapInput(5, instances=True, feat_num=2)
    x = layer([coded / 127.5 - 1.0, class_features]).numpy()
    expected = semantic_input(labels, instances, 5, class_features[0][labels]).numpy()
    np.testing.assert_allclose(x, expected, atol=1e-6)
    assert LabelMapInput.from_config(layer.get_config()).get_config() == layer.get_config()


def test_feature_matching_weights_layers_and_scales_as_the_reference():
    ones = [tf.ones((1, 2, 2, 1))] * 3
    zeros = [tf.zeros((1, 2, 2, 1))] * 3
    # Two scales of two features (and a prediction) each, every feature 1 apart.
    loss = losses.discriminator_feature_matching_loss([ones, ones], [zeros, zeros], n_layers=1)
    assert float(loss) == pytest.approx(2 * 2 * 0.5 * (4.0 / 2))
    assert float(losses.lsgan_loss([ones, zeros], True)) == pytest.approx(1.0)
    assert float(losses.lsgan_loss([ones, zeros], False)) == pytest.approx(1.0)


def test_vgg_loss_weights_are_the_references():
    fake = [tf.ones((1, 1, 1, 1)) * (i + 1) for i in range(5)]
    real = [tf.zeros((1, 1, 1, 1))] * 5
    expected = sum(w * (i + 1) for i, w in enumerate([1 / 32, 1 / 16, 1 / 8, 1 / 4, 1]))
    assert float(losses.weighted_feature_l1_loss(fake, real)) == pytest.approx(expected)


def _batch(model, n=2):
    from keras_gan.testing.family_test_case import real_photos

    photos = real_photos(model.image_size, n)
    labels, instances = label_maps_from_photos(photos, model.label_nc)
    return labels, instances, photos


def test_training_lowers_the_perceptual_loss():
    model = Pix2PixHD(**TINY)
    model.compile()
    batch = _batch(model)
    held = tf.data.Dataset.from_tensors(batch)
    before = model.evaluate(held, verbose=0, return_dict=True)
    history = model.fit(held.repeat(30), epochs=1, verbose=0)
    after = model.evaluate(held, verbose=0, return_dict=True)
    assert set(history.history) >= {"d_loss", "g_loss", "g_gan", "g_gan_feat", "g_vgg"}
    assert all(np.isfinite(v) for v in after.values()), after
    assert after["g_vgg"] < 0.9 * before["g_vgg"], (before, after)


def test_encoded_features_change_the_output_and_are_constant_per_instance():
    model = Pix2PixHD(**TINY)
    labels, instances, photos = _batch(model)
    features = model.encoder([photos, instances]).numpy()
    for i in np.unique(instances[0]):
        assert np.ptp(features[0][instances[0] == i], axis=0).max() < 1e-5
    with_photos = model.predict_images(labels, instances, photos=photos)
    assert not np.allclose(with_photos, model.predict_images(labels, instances))


def test_bad_inputs_are_refused_in_one_line():
    model = Pix2PixHD(**TINY)
    labels, instances, photos = _batch(model)
    with pytest.raises(ValueError, match="instances"):
        model.predict_images(labels)
    with pytest.raises(ValueError, match="multiples of 4"):
        model.predict_images(labels[:, :30], instances[:, :30])
    with pytest.raises(ValueError, match="differ in shape"):
        model.predict_images(labels, instances[:, :16])
    with pytest.raises(ValueError, match="batches must be"):
        model.compile()
        model.train_on_batch(labels, photos)
    with pytest.raises(ValueError, match="generator_type"):
        Pix2PixHD(**{**TINY, "generator_type": "huge"})
    with pytest.raises(ValueError, match="image_size"):
        Pix2PixHD(**{**TINY, "image_size": 30})


# The same networks in NVIDIA/pix2pixHD (torch 2.13, CPU), every convolution's weight then
# bias drawn in module order from np.random.default_rng(1).normal(0, 0.1) in torch's layout,
# on inputs np.random.default_rng(2).uniform(-1, 1): mean, std and output[0, 0, :3, 0].
REFERENCE_OUTPUTS = {
    "global": (-0.34078723192214966, 0.5998923182487488, (-0.97578615, 0.90157384, -0.18040827)),
    "local": (-0.1323966681957245, 0.6113234162330627, (0.51071781, 0.29176044, -0.28130308)),
    "d_scale0": (0.08217651396989822, 1.1891878843307495, (0.69054949, 0.11204545, 0.42917594)),
    "d_scale1": (0.02894107811152935, 1.1810506582260132, (0.58248991, 1.10993648, -0.80062681)),
    "encoder": (-0.18203504383563995, 0.2530159652233124, (-0.64595371, -0.64595371, -0.64595371)),
}


def _fill_in_reference_order(network, seed=1):
    """Weights drawn as the reference's modules are: the global generator, then the enhancer;
    the discriminator's full-resolution scale first (its `scale1` modules in the reference)."""
    convs = [
        layer
        for layer in network.layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose))
    ]
    convs.sort(key=lambda c: (not c.name.startswith("global"), c.name if "scale" in c.name else ""))
    rng = np.random.default_rng(seed)
    for layer in convs:
        kernel, bias = layer.get_weights()
        torch_kernel = rng.normal(0, 0.1, kernel.transpose(3, 2, 0, 1).shape)
        layer.set_weights([torch_kernel.transpose(2, 3, 1, 0), rng.normal(0, 0.1, bias.shape)])


def _inputs(shape):
    return np.random.default_rng(2).uniform(-1, 1, shape).astype("float32")


def _check(name, output):
    mean, std, corner = REFERENCE_OUTPUTS[name]
    output = np.asarray(output)
    assert float(output.mean()) == pytest.approx(mean, abs=2e-5), name
    assert float(output.std()) == pytest.approx(std, abs=2e-5), name
    np.testing.assert_allclose(output[0, 0, :3, 0], corner, atol=2e-5, err_msg=name)


def test_networks_give_the_references_outputs_for_the_same_weights():
    generators = {
        "global": networks.build_global_generator(6, 3, 4, 2, 2),
        "local": networks.build_local_enhancer(6, 3, 4, 2, 1, 1, 2),
    }
    for name, network in generators.items():
        _fill_in_reference_order(network)
        _check(name, network(_inputs((1, 16, 24, 6))))
    discriminator = networks.build_multiscale_discriminator(6, 4, 3, 2)
    _fill_in_reference_order(discriminator)
    outputs = discriminator(_inputs((1, 21, 19, 6)))
    _check("d_scale0", outputs[4])
    _check("d_scale1", outputs[9])
    encoder = networks.build_encoder(3, 3, 4, 2)
    _fill_in_reference_order(encoder)
    instances = np.zeros((1, 16, 24), "int32")
    instances[..., 10:] = 1
    instances[:, 5:, :4] = 2
    _check("encoder", encoder([_inputs((1, 16, 24, 3)), instances]))


def test_exported_network_reads_uint8_label_images_as_predict_images_does():
    model = Pix2PixHD(**TINY)
    labels, instances, _ = _batch(model)
    spec = model.export_spec()
    assert spec.input_names == ["images", "class_features"] and spec.channels == 3
    table = np.random.default_rng(0).uniform(-1, 1, (2, model.label_nc, model.feat_num))
    table = table.astype("float32")
    coded = np.stack([labels, instances % 256, instances // 256], -1) / 127.5 - 1.0
    exported = np.asarray(spec.call([coded.astype("float32"), table]))
    painted = np.stack([table[b][labels[b]] for b in range(len(labels))])
    expected = model.predict_images(labels, instances, features=painted)
    np.testing.assert_allclose(exported, expected, atol=1e-5)
