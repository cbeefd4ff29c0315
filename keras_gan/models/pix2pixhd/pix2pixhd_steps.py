"""One Pix2PixHD step's losses, as the reference's `Pix2PixHDModel.forward` computes them."""

from __future__ import annotations

import tensorflow as tf

from keras_gan.models.pix2pixhd import pix2pixhd_losses as losses
from keras_gan.models.pix2pixhd.pix2pixhd_data import unpack_batch
from keras_gan.models.pix2pixhd.pix2pixhd_layers import semantic_input

# VGG16 convolutions whose ReLU outputs stand in for the reference's VGG19 relu{1..5}_1.
VGG16_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")


def build_vgg(weights: str | None):
    """The frozen VGG16 features of the perceptual loss (`weights`: see `VGGFeatures`)."""
    from keras_gan.perceptual.vgg_features import VGGFeatures

    network = VGGFeatures("vgg16", VGG16_LAYERS, weights=weights, name="perceptual_vgg")
    network.build((None, None, None, 3))
    return network


def generator_input(model, labels, instances, features, photos, training: bool):
    """`Pix2PixHD.generator_input`: one-hot labels, boundaries, features (graph ops)."""
    if model.needs_instances and instances is None:
        raise ValueError("This Pix2PixHD needs instance maps: pass `instances`.")
    if model.instance_feat and features is None:
        if photos is not None:
            ids = tf.cast(instances, tf.int32)
            features = model.encoder([photos, ids], training=training)
        else:
            shape = tf.shape(labels)
            features = tf.zeros([shape[0], shape[1], shape[2], model.feat_num], tf.float32)
    edges = instances if model.use_instance else None
    return semantic_input(labels, edges, model.label_nc, features if model.instance_feat else None)


def step_losses(model, data, training: bool):
    """`(d_terms, g_terms, photos, fakes)` of one batch: one generator pass, the
    discriminator on the detached fakes, the photos and the fakes."""
    labels, instances, photos = unpack_batch(data, model.needs_instances)
    photos = tf.cast(photos, tf.float32)
    semantic = semantic_input(labels, instances if model.use_instance else None, model.label_nc)
    net_input = model.generator_input(labels, instances, photos=photos, training=training)
    fake = tf.cast(model.generator(net_input, training=training), tf.float32)

    def judge(images):
        outputs = model.discriminator(tf.concat([semantic, images], -1), training=training)
        return losses.group_scales(outputs, model.num_d)

    pred_fake_detached = judge(tf.stop_gradient(fake))
    pred_real = judge(photos)
    pred_fake = judge(fake)
    d_real = losses.lsgan_loss(pred_real, True)
    d_fake = losses.lsgan_loss(pred_fake_detached, False)
    g_terms = {"g_gan": losses.lsgan_loss(pred_fake, True)}
    if model.use_ganfeat_loss:
        matching = losses.discriminator_feature_matching_loss(
            pred_fake, pred_real, model.n_layers_d
        )
        g_terms["g_gan_feat"] = model.lambda_feat * matching
    if model.use_vgg_loss:
        vgg = model.vgg_network()
        perceptual = losses.weighted_feature_l1_loss(vgg(fake), vgg(photos))
        g_terms["g_vgg"] = model.lambda_feat * perceptual
    d_terms = {"d_loss": 0.5 * (d_real + d_fake), "d_real": d_real, "d_fake": d_fake}
    return d_terms, {"g_loss": tf.add_n(list(g_terms.values())), **g_terms}, photos, fake
