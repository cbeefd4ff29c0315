"""Pix2PixHD (Wang et al., 2018): label maps (+ instance boundaries, + features) -> photos."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.adversarial_model import AdversarialModel, deserialize_networks
from keras_gan.models.pix2pixhd import pix2pixhd_clusters as cluster_ops
from keras_gan.models.pix2pixhd import pix2pixhd_steps as steps
from keras_gan.models.pix2pixhd.pix2pixhd_data import label_maps_from_photos, unpack_batch
from keras_gan.models.pix2pixhd.pix2pixhd_networks import (
    build_encoder,
    build_generator,
    build_multiscale_discriminator,
)
from keras_gan.registry import register_family
from keras_gan.tasks import ImageToImage

_OPTIONS = (
    "label_nc", "output_nc", "generator_type", "ngf", "n_downsample_global", "n_blocks_global",
    "n_local_enhancers", "n_blocks_local", "norm", "use_instance", "instance_feat", "feat_num",
    "nef", "n_downsample_e", "ndf", "n_layers_d", "num_d", "lambda_feat", "use_ganfeat_loss",
    "use_vgg_loss", "vgg_weights", "niter_fix_global", "image_size", "seed",
)  # fmt: skip
_NETWORKS = ("generator", "discriminator", "encoder")


class _Unsaved:
    """Holds the VGG of the perceptual loss out of Keras' tracking: never saved nor counted."""

    network = None


@register_family("pix2pixhd")
class Pix2PixHD(ImageToImage, AdversarialModel):
    """A generator from label maps to photos, a multi-scale PatchGAN, an optional encoder.

    Defaults are NVIDIA/pix2pixHD's (`options/base_options.py`, `train_options.py`):
    label_nc 35, netG `global` (ngf 64, 4 downsamplings, 9 blocks; `local`: 1 enhancer
    with 3 blocks), instance norm, instance maps on, features off (feat_num 3, nef 16,
    4 encoder downsamplings), num_D 2, n_layers_D 3, ndf 64, LSGAN, discriminator
    feature matching and VGG losses each weighted lambda_feat 10, Adam(2e-4, 0.5, 0.999)
    for both sides, crops of 512 (`fineSize`).

    The generator's input is the one-hot label map, then the instance boundary map
    (`use_instance`), then the encoded instance features (`instance_feat`): the encoder
    reads the photo and averages its features over each instance. The discriminator
    judges the generator's input less the features, concatenated with the image. One
    forward pass gives both losses, as the reference's: the discriminator's
    `0.5 (D_real + D_fake)` (the fakes detached), the generator's `G_GAN + G_GAN_Feat +
    G_VGG`; both networks are updated from the same discriminator weights.

    Where we differ: the perceptual loss uses VGG16 (the local ImageNet weights) at
    `block{1..5}_conv1` after ReLU, in place of VGG19's relu{1..5}_1, with the
    reference's weights 1/32, 1/16, 1/8, 1/4, 1, on images normalised with the ImageNet
    statistics (the reference feeds [-1, 1] images to VGG19 unnormalised). Only the LSGAN
    loss (`--no_lsgan` is not offered), no image pool (the reference's default
    `pool_size` 0), no `label_feat`; the reference's linear learning-rate decay over
    `niter_decay` epochs is not yet a run schedule (`keras-gan train pix2pixhd` has no
    data reader yet).

    Batches are `(labels, instances, photos)`: int label ids [N, H, W], int instance ids
    [N, H, W] (Cityscapes style, `class * 1000 + k`) and photos [N, H, W, output_nc] in
    [-1, 1]; `(labels, photos)` where neither instance maps nor features are used.

    Args:
        label_nc: label classes (the one-hot width).
        output_nc: image channels.
        generator_type: `global` or `local` (`--netG`).
        ngf, n_downsample_global, n_blocks_global, n_local_enhancers, n_blocks_local,
        norm: the generator's options (norm `instance` or `batch`, for all networks).
        use_instance: add the instance boundary map to the input (not `--no_instance`).
        instance_feat: add encoded instance features (`--instance_feat`).
        feat_num, nef, n_downsample_e: the encoder's options.
        ndf, n_layers_d, num_d: the multi-scale discriminator's options.
        lambda_feat: weight of both feature matching losses.
        use_ganfeat_loss, use_vgg_loss: not `--no_ganFeat_loss`, `--no_vgg_loss`.
        vgg_weights: `imagenet` (the local VGG16 file), a `.npz` path, or None (random
            VGG weights: tests only).
        niter_fix_global: epochs of a `local` model during which only the outermost
            enhancer trains (`pix2pixhd_schedule`: coarse-to-fine training).
        feature_clusters: class id -> centres [k, feat_num] of its instances' encoded
            features (`fit_feature_clusters`); saved in the config.
        image_size: the training crop side (`--fineSize`).
        seed: base seed.
        generator, discriminator, encoder: networks to use instead of building them.
    """

    metrics_compare = "the photos and the generated images"
    evaluation_kind = "semantic"
    held_out_metric = "l1"
    tiny_config = dict(
        label_nc=5,
        ngf=4,
        n_downsample_global=2,
        n_blocks_global=1,
        instance_feat=True,
        nef=4,
        n_downsample_e=2,
        ndf=4,
        n_layers_d=2,
        image_size=32,
        vgg_weights=None,
    )

    def __init__(
        self,
        label_nc: int = 35,
        output_nc: int = 3,
        generator_type: str = "global",
        ngf: int = 64,
        n_downsample_global: int = 4,
        n_blocks_global: int = 9,
        n_local_enhancers: int = 1,
        n_blocks_local: int = 3,
        norm: str = "instance",
        use_instance: bool = True,
        instance_feat: bool = False,
        feat_num: int = 3,
        nef: int = 16,
        n_downsample_e: int = 4,
        ndf: int = 64,
        n_layers_d: int = 3,
        num_d: int = 2,
        lambda_feat: float = 10.0,
        use_ganfeat_loss: bool = True,
        use_vgg_loss: bool = True,
        vgg_weights: str | None = "imagenet",
        niter_fix_global: int = 0,
        image_size: int = 512,
        seed: int = 0,
        feature_clusters: dict | None = None,
        generator: keras.Model | None = None,
        discriminator: keras.Model | None = None,
        encoder: keras.Model | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(label_nc) < 1:
            raise ValueError(f"label_nc must be >= 1. Received: label_nc={label_nc}")
        if use_vgg_loss and int(output_nc) != 3:
            raise ValueError(
                f"The VGG loss needs RGB images (output_nc=3). Received: output_nc={output_nc}; "
                "pass use_vgg_loss=False for other channels."
            )
        self.label_nc, self.output_nc = int(label_nc), int(output_nc)
        self.generator_type = str(generator_type)
        self.ngf, self.norm = int(ngf), str(norm)
        self.n_downsample_global, self.n_blocks_global = (
            int(n_downsample_global),
            int(n_blocks_global),
        )
        self.n_local_enhancers, self.n_blocks_local = int(n_local_enhancers), int(n_blocks_local)
        self.use_instance, self.instance_feat = bool(use_instance), bool(instance_feat)
        self.feat_num, self.nef, self.n_downsample_e = int(feat_num), int(nef), int(n_downsample_e)
        self.ndf, self.n_layers_d, self.num_d = int(ndf), int(n_layers_d), int(num_d)
        self.lambda_feat = float(lambda_feat)
        self.use_ganfeat_loss, self.use_vgg_loss = bool(use_ganfeat_loss), bool(use_vgg_loss)
        self.vgg_weights = None if vgg_weights is None else str(vgg_weights)
        self.image_size, self.seed = int(image_size), int(seed)
        self.niter_fix_global = int(niter_fix_global)
        if self.niter_fix_global < 0:
            raise ValueError(f"niter_fix_global must be >= 0. Received: {niter_fix_global}")
        if self.niter_fix_global and self.generator_type != "local":
            raise ValueError(
                "niter_fix_global fixes the global generator of a local enhancer: it needs "
                f"generator_type='local'. Received: generator_type={generator_type!r}"
            )
        self.global_fixed = self.niter_fix_global > 0
        if feature_clusters and not self.instance_feat:
            raise ValueError("feature_clusters need instance_feat=True (an encoder).")
        self.feature_clusters = cluster_ops.from_config(feature_clusters, self.feat_num)
        if self.image_size % self.size_multiple:
            raise ValueError(
                f"image_size must be a multiple of {self.size_multiple} (2 ** downsamplings). "
                f"Received: image_size={image_size}"
            )
        self.generator = generator or build_generator(
            self.generator_type,
            self.generator_input_channels,
            self.output_nc,
            self.ngf,
            self.n_downsample_global,
            self.n_blocks_global,
            self.n_local_enhancers,
            self.n_blocks_local,
            self.norm,
        )
        self.discriminator = discriminator or build_multiscale_discriminator(
            self.semantic_channels + self.output_nc,
            self.ndf,
            self.n_layers_d,
            self.num_d,
            self.norm,
        )
        self.encoder = None
        if self.instance_feat:
            self.encoder = encoder or build_encoder(
                self.feat_num, self.output_nc, self.nef, self.n_downsample_e, self.norm
            )
        self._vgg = _Unsaved()
        self.built = True

    # --------------------------------------------------------------- shapes
    @property
    def semantic_channels(self) -> int:
        """Channels of the one-hot labels and the boundary map: what the discriminator sees."""
        return self.label_nc + int(self.use_instance)

    @property
    def generator_input_channels(self) -> int:
        return self.semantic_channels + (self.feat_num if self.instance_feat else 0)

    @property
    def needs_instances(self) -> bool:
        return self.use_instance or self.instance_feat

    @property
    def size_multiple(self) -> int:
        downs = self.n_downsample_global
        if self.generator_type == "local":
            downs += self.n_local_enhancers
        if self.instance_feat:
            downs = max(downs, self.n_downsample_e)
        return 2**downs

    # ------------------------------------------------------------- inference
    @property
    def sampling_generator(self) -> keras.Model:
        return self.generator

    def generator_input(self, labels, instances=None, features=None, photos=None, training=False):
        """The generator's input from int label / instance maps [N, H, W] (graph ops).

        With `instance_feat`: `features` [N, H, W, feat_num] if given, else the encoder's
        features of `photos`, else zeros.
        """
        return steps.generator_input(self, labels, instances, features, photos, training)

    def predict_images(
        self,
        labels,
        instances=None,
        features=None,
        photos=None,
        clusters: dict | None = None,
        seed: int = 0,
        batch_size: int = 4,
    ) -> np.ndarray:
        """Images [N, H, W, output_nc] in [-1, 1] (float32) from int label ids [N, H, W].

        `instances`: int instance ids [N, H, W] (needed with instance maps or features).
        With `instance_feat`, each instance's features come from `features` [N, H, W,
        feat_num], else the encoding of `photos` (the reference's `use_encoded_image`),
        else the feature clusters: `clusters` picks a centre by instance id or class id
        (`{26: 3}`: every car gets cluster 3, `{26001: 5}`: car 1 gets 5), the others one
        drawn with `seed`; else zeros. H and W must be multiples of `size_multiple`.
        """
        from keras_gan.models.pix2pixhd.pix2pixhd_inference import predict

        return predict(self, labels, instances, features, photos, clusters, seed, batch_size)

    def encode_features(self, labels, instances, photos, batch_size: int = 4) -> dict:
        """Class -> rows [encoded features..., relative area] of every instance (the
        reference's `encode_features`)."""
        from keras_gan.models.pix2pixhd.pix2pixhd_inference import encode

        return encode(self, labels, instances, photos, batch_size)

    def fit_feature_clusters(
        self, labels, instances, photos, n_clusters: int = 10, seed: int = 0
    ) -> dict:
        """Per-class k-means (K `n_clusters`) of the training instances' encoded features,
        kept in the model (and its config): class id -> centres [k, feat_num]."""
        rows = self.encode_features(labels, instances, photos)
        self.feature_clusters = cluster_ops.cluster_features(rows, n_clusters, seed)
        return self.feature_clusters

    def class_features(self, choices: dict | None = None) -> np.ndarray:
        """[label_nc, feat_num]: each class's chosen cluster centre (class id -> index,
        default 0), the exported network's `class_features` input."""
        return cluster_ops.class_features(
            self.feature_clusters, self.label_nc, self.feat_num, choices
        )

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def export_spec(self, direction: str | None = None):
        from keras_gan.models.pix2pixhd.pix2pixhd_inference import export_network

        return export_network(self, direction)

    # ----------------------------------------------------- shared test data
    def example_batch(self, photos: np.ndarray):
        """`(labels, instances, photos)` from photos (label maps cut from their luma)."""
        labels, instances = label_maps_from_photos(photos, self.label_nc)
        return labels, instances, np.asarray(photos, "float32")

    def example_inputs(self, batch) -> dict:
        labels, instances, _ = batch
        return {"labels": labels, "instances": instances}

    # ----------------------------------------------------------------- steps
    def loss_names(self) -> list[str]:
        names = ["d_loss", "d_real", "d_fake", "g_loss", "g_gan"]
        names += ["g_gan_feat"] if self.use_ganfeat_loss else []
        return names + (["g_vgg"] if self.use_vgg_loss else [])

    def generator_variables(self) -> list:
        variables = list(self.generator.trainable_variables)
        return variables + (list(self.encoder.trainable_variables) if self.encoder else [])

    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables

    def trained_generator_variables(self) -> list:
        """What the generator side's update trains now: all of `generator_variables`, or,
        while the global generator is fixed, the outermost enhancer's and the encoder's."""
        if not self.global_fixed:
            return self.generator_variables()
        from keras_gan.models.pix2pixhd.pix2pixhd_schedule import outermost_enhancer_variables

        variables = outermost_enhancer_variables(self)
        return variables + (list(self.encoder.trainable_variables) if self.encoder else [])

    def set_global_fixed(self, fixed: bool) -> None:
        """Fixes or frees the global generator (retraces the train step on a change)."""
        if bool(fixed) != self.global_fixed:
            self.global_fixed = bool(fixed)
            if self.train_function is not None:
                self.make_train_function(force=True)

    def fit(self, *args, callbacks=None, **kwargs):
        """`keras.Model.fit`, with `FixGlobalGenerator` added when `niter_fix_global > 0`."""
        from keras_gan.models.pix2pixhd.pix2pixhd_schedule import FixGlobalGenerator

        callbacks = list(callbacks or [])
        if self.niter_fix_global and not any(isinstance(c, FixGlobalGenerator) for c in callbacks):
            callbacks.append(FixGlobalGenerator())
        return super().fit(*args, callbacks=callbacks, **kwargs)

    def make_train_function(self, force=False):
        if self.use_vgg_loss:
            self.vgg_network()  # reads the VGG weights eagerly, before tracing
        return super().make_train_function(force)

    def make_test_function(self, force=False):
        if self.use_vgg_loss:
            self.vgg_network()
        return super().make_test_function(force)

    def vgg_network(self):
        """The VGG16 features of the perceptual loss, built on first use (never saved)."""
        if self._vgg.network is None:
            with self.distribute_strategy.scope():
                self._vgg.network = steps.build_vgg(self.vgg_weights)
        return self._vgg.network

    def train_step(self, data):
        from keras_gan.models.replica_random import num_replicas

        replicas = num_replicas()
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            d_terms, g_terms, _, _ = steps.step_losses(self, data, True)
            g_scaled = self.g_optimizer.scale_loss(g_terms["g_loss"] / replicas)
            d_scaled = self.d_optimizer.scale_loss(d_terms["d_loss"] / replicas)
        self._apply(self.g_optimizer, g_scaled, g_tape, self.trained_generator_variables())
        self._apply(self.d_optimizer, d_scaled, d_tape, self.discriminator_variables())
        return self._record({**d_terms, **g_terms})

    def test_step(self, data):
        d_terms, g_terms, photos, fake = steps.step_losses(self, data, False)
        logs = self._record({**d_terms, **g_terms})
        return {**logs, **self._measure_quality(photos, fake)}

    # ------------------------------------------------------------------ runs
    def run_data(self, data: str, config):
        raise ValueError(
            "keras-gan train pix2pixhd: a reader for label / instance / photo folders is not "
            "written yet; train in Python with model.fit on (labels, instances, photos) batches."
        )

    def held_out_scores(self, held_out, batch_size: int = 4) -> dict:
        """Mean absolute error of the generated images to the held-out photos."""
        labels, instances, photos = unpack_batch(held_out, self.needs_instances)
        generated = self.predict_images(labels, instances, batch_size=batch_size)
        value = float(np.mean(np.abs(generated - np.asarray(photos, "float32"))))
        return {"metric": self.held_out_metric, "value": value, "lower_is_better": True}

    # --------------------------------------------------------- serialization
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable}
        config.update({key: getattr(self, key) for key in _OPTIONS})
        config["feature_clusters"] = cluster_ops.to_config(self.feature_clusters)
        for key in _NETWORKS:
            network = getattr(self, key)
            config[key] = None if network is None else keras.layers.serialize(network)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, _NETWORKS))
