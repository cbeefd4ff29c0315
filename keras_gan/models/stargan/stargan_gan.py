"""StarGAN (Choi et al., 2018): one generator translating images among many domains."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from keras_gan.losses import gradient_penalty, interpolate, mean_absolute_error
from keras_gan.models.adversarial_model import AdversarialModel, deserialize_networks
from keras_gan.models.replica_random import num_replicas, replica_uniform
from keras_gan.models.stargan import stargan_domains as domains
from keras_gan.models.stargan.stargan_losses import check_label_mode, domain_classification_losses
from keras_gan.models.stargan.stargan_networks import (
    build_discriminator,
    build_generator,
    check_discriminator_size,
)
from keras_gan.registry import register_family
from keras_gan.tasks import ImageToImage

_SEED_PERMUTATION, _SEED_ALPHA = 0, 1
_OPTIONS = (
    "c_dim", "c2_dim", "label_mode", "label_mode2", "image_size", "channels", "g_conv_dim",
    "d_conv_dim", "g_repeat_num", "d_repeat_num", "lambda_cls", "lambda_rec", "lambda_gp",
    "n_critic", "domain_names", "seed",
)  # fmt: skip


@register_family("stargan")
class StarGAN(ImageToImage, AdversarialModel):
    """A generator conditioned on a target-domain vector, a PatchGAN with a domain classifier.

    Defaults are yunjey/stargan's (`main.py`): c_dim 5, image_size 128, conv dims 64,
    6 residual blocks, 6 discriminator convs, WGAN-GP (lambda_gp 10), classification
    weight 1, reconstruction weight 10, n_critic 5, Adam(1e-4, 0.5, 0.999) for both.

    Batches are `(images, labels)`: int domain indices [N] (`label_mode="one_hot"`, a
    class per folder as RaFD) or binary attribute vectors [N, c_dim] (`"attributes"`,
    as CelebA). With a second data set (`c2_dim > 0`, the reference's `Both` mode)
    batches are `(images, labels [N, c_dim + c2_dim], dataset [N])`: each example's
    labels sit in its data set's slice (zeros in the other) and the generator reads
    them with a mask vector, one-hot of the data set (width c_dim + c2_dim + 2).
    Each step updates the discriminator once; the generator is updated on every
    `n_critic`-th step, on that step's batch, as the reference.

    Args:
        c_dim, c2_dim: domains of the first and the second data set (0: one data set).
        label_mode, label_mode2: `one_hot` or `attributes`, per data set.
        image_size, channels: training images (the discriminator's input).
        g_conv_dim, d_conv_dim, g_repeat_num, d_repeat_num: the networks' options.
        lambda_cls, lambda_rec, lambda_gp: loss weights.
        n_critic: discriminator steps per generator step.
        domain_names: a name per domain (selected attributes, class folders), for
            sheets; the reference's hair colours among them are mutually exclusive.
        seed: base seed of the target permutations and the penalty's interpolation.
        generator, discriminator: networks to use instead of building them.
    """

    evaluation_kind = "multi_domain"
    held_out_metric = "reconstruction_l1"
    size_multiple = 4
    tiny_config = dict(
        c_dim=3,
        label_mode="one_hot",
        image_size=16,
        g_conv_dim=4,
        d_conv_dim=4,
        g_repeat_num=1,
        d_repeat_num=2,
        n_critic=2,
    )

    def __init__(
        self,
        c_dim: int = 5,
        c2_dim: int = 0,
        label_mode: str = "attributes",
        label_mode2: str = "one_hot",
        image_size: int = 128,
        channels: int = 3,
        g_conv_dim: int = 64,
        d_conv_dim: int = 64,
        g_repeat_num: int = 6,
        d_repeat_num: int = 6,
        lambda_cls: float = 1.0,
        lambda_rec: float = 10.0,
        lambda_gp: float = 10.0,
        n_critic: int = 5,
        domain_names: list[str] | None = None,
        seed: int = 0,
        generator: keras.Model | None = None,
        discriminator: keras.Model | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(c_dim) < 1 or int(c2_dim) < 0:
            raise ValueError(f"Expected c_dim >= 1 and c2_dim >= 0. Received: {c_dim}, {c2_dim}")
        if int(n_critic) < 1:
            raise ValueError(f"n_critic must be >= 1. Received: n_critic={n_critic}")
        if int(image_size) % 4:
            raise ValueError(f"image_size must be a multiple of 4. Received: {image_size}")
        check_discriminator_size(image_size, d_repeat_num)
        self.c_dim, self.c2_dim = int(c_dim), int(c2_dim)
        self.label_mode = check_label_mode(label_mode)
        self.label_mode2 = check_label_mode(label_mode2)
        self.image_size, self.channels = int(image_size), int(channels)
        self.g_conv_dim, self.d_conv_dim = int(g_conv_dim), int(d_conv_dim)
        self.g_repeat_num, self.d_repeat_num = int(g_repeat_num), int(d_repeat_num)
        self.lambda_cls, self.lambda_rec = float(lambda_cls), float(lambda_rec)
        self.lambda_gp, self.n_critic = float(lambda_gp), int(n_critic)
        self.domain_names = list(domain_names) if domain_names else None
        if self.domain_names and len(self.domain_names) != self.num_domains:
            raise ValueError(
                f"domain_names needs one name per domain ({self.num_domains}). Received: "
                f"{len(self.domain_names)} names"
            )
        self.seed = int(seed)
        self.generator = generator or build_generator(
            self.vector_dim, self.g_conv_dim, self.g_repeat_num, self.channels
        )
        self.discriminator = discriminator or build_discriminator(
            self.image_size, self.d_conv_dim, self.num_domains, self.d_repeat_num, self.channels
        )
        self.built = True

    # -------------------------------------------------------------- domains
    @property
    def num_domains(self) -> int:
        """Domains the labels name: c_dim + c2_dim (the discriminator's logits)."""
        return self.c_dim + self.c2_dim

    @property
    def vector_dim(self) -> int:
        """Width of the generator's domain vector: labels, plus the mask with two data sets."""
        return self.num_domains + (2 if self.c2_dim else 0)

    @property
    def sample_columns(self) -> int:
        return 1 + self.num_domains

    def target_vectors(self, source: np.ndarray) -> list[np.ndarray]:
        """Generator vectors [N, vector_dim] of each target domain, from source vectors."""
        return domains.target_vectors(self, np.asarray(source, "float32"))

    def domain_vectors(self, labels, dataset=None) -> np.ndarray:
        """Generator vectors from domain indices [N], or label / full vectors [N, K]."""
        return domains.domain_vectors(self, labels, dataset)

    # ------------------------------------------------------------- inference
    @property
    def sampling_generator(self) -> keras.Model:
        return self.generator

    def predict_images(self, images, target_labels=None, batch_size: int = 8) -> np.ndarray:
        """Translates images [N, H, W, C] in [-1, 1] to target domains; float32 in [-1, 1].

        `target_labels`: a domain index per image (int [N]), or label vectors [N,
        c_dim + c2_dim] (attributes, one-hots), or full generator vectors [N,
        vector_dim]; None sends image i to domain i mod num_domains. Sides must be
        multiples of 4.
        """
        images = np.asarray(images, "float32")
        images = images[None] if images.ndim == 3 else images
        if images.ndim != 4 or images.shape[-1] != self.channels:
            raise ValueError(
                f"images must be [N, H, W, {self.channels}]. Received: shape {images.shape}"
            )
        if target_labels is None:
            target_labels = np.arange(len(images)) % self.num_domains
        vectors = self.domain_vectors(target_labels)
        if len(vectors) != len(images):
            raise ValueError(f"{len(vectors)} target labels for {len(images)} images.")
        height, width = images.shape[1:3]
        padded = domains.pad_to_multiple(images, self.size_multiple)
        out = self.generator.predict([padded, vectors], batch_size=batch_size, verbose=0)
        return np.asarray(out, "float32")[:, :height, :width]

    def translate(self, images, target_labels=None, batch_size: int = 8) -> np.ndarray:
        """Alias of `predict_images`."""
        return self.predict_images(images, target_labels, batch_size)

    def source_vectors(self, images) -> np.ndarray:
        """The discriminator's guess of each image's labels (data set 0 in mask mode)."""
        return domains.classify(self, np.asarray(images, "float32"))

    def sample_rows(self, images, source=None) -> np.ndarray:
        """Per image: input | each target domain (the reference's sample sheet)."""
        return domains.sheet(self, np.asarray(images, "float32"), source)

    def prediction_sheet(self, image: np.ndarray) -> np.ndarray:
        return domains.file_sheet(self, image)

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def export_spec(self, direction: str | None = None):
        return domains.export_network(self, direction)

    # ----------------------------------------------------------------- steps
    def loss_names(self) -> list[str]:
        return ["d_loss", "d_real", "d_fake", "d_cls", "gp", "g_loss", "g_fake", "g_cls", "g_rec"]

    def generator_variables(self) -> list:
        return self.generator.trainable_variables

    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables

    @classmethod
    def default_optimizers(cls):
        return tuple(keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.999) for _ in range(2))

    def _seed(self, offset, counter):
        return tf.stack([tf.cast(self.seed * 1000 + offset, tf.int64), tf.cast(counter, tf.int64)])

    def _batch(self, data):
        """`(images, source vectors [N, vector_dim], dataset ids [N])` from a batch."""
        return domains.unpack_batch(self, data)

    def _classification(self, logits, vectors, dataset):
        """Mean classification loss, each example against its own data set's logits."""
        c = self.c_dim
        first = domain_classification_losses(logits[:, :c], vectors[:, :c], self.label_mode)
        if not self.c2_dim:
            return tf.reduce_mean(first)
        second = domain_classification_losses(
            logits[:, c:], vectors[:, c : self.num_domains], self.label_mode2
        )
        return tf.reduce_mean(tf.where(tf.equal(dataset, 0), first, second))

    def _discriminator_losses(self, real, c_org, c_trg, dataset, alpha, training):
        src_real, cls_real = self.discriminator(real, training=training)
        fake = tf.stop_gradient(
            tf.cast(self.generator([real, c_trg], training=training), real.dtype)
        )
        src_fake, _ = self.discriminator(fake, training=training)
        mixed = interpolate(real, fake, alpha)
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            src_mixed, _ = self.discriminator(mixed, training=training)
            total = tf.reduce_sum(tf.cast(src_mixed, tf.float32))
        terms = {
            "d_real": -tf.reduce_mean(tf.cast(src_real, tf.float32)),
            "d_fake": tf.reduce_mean(tf.cast(src_fake, tf.float32)),
            "d_cls": self._classification(cls_real, c_org, dataset),
            "gp": gradient_penalty(tape.gradient(total, mixed)),
        }
        loss = terms["d_real"] + terms["d_fake"]
        loss += self.lambda_cls * terms["d_cls"] + self.lambda_gp * terms["gp"]
        return loss, terms

    def _generator_losses(self, real, c_org, c_trg, dataset, training):
        fake = tf.cast(self.generator([real, c_trg], training=training), tf.float32)
        src, cls = self.discriminator(fake, training=training)
        rebuilt = tf.cast(self.generator([fake, c_org], training=training), tf.float32)
        terms = {
            "g_fake": -tf.reduce_mean(tf.cast(src, tf.float32)),
            "g_cls": self._classification(cls, c_trg, dataset),
            "g_rec": mean_absolute_error(real, rebuilt),
        }
        loss = terms["g_fake"] + self.lambda_rec * terms["g_rec"] + self.lambda_cls * terms["g_cls"]
        return loss, terms

    def _targets(self, c_org, dataset, step):
        """The reference's targets: the batch's labels in a random order (a permutation)."""
        n = tf.shape(c_org)[0]
        keys = tf.random.stateless_uniform([n], self._seed(_SEED_PERMUTATION, step))
        if not self.c2_dim:
            return tf.gather(c_org, tf.argsort(keys))
        # Two data sets: a permutation within each, so every target keeps its data set.
        group = tf.cast(dataset, tf.float32) * 2.0
        shuffled = tf.argsort(group + keys, stable=True)
        grouped = tf.argsort(group, stable=True)
        return tf.gather(c_org, tf.gather(shuffled, tf.argsort(grouped, stable=True)))

    def train_step(self, data):
        real, c_org, dataset = self._batch(data)
        step = self.d_optimizer.iterations
        replicas = num_replicas()
        c_trg = self._targets(c_org, dataset, step)
        alpha = replica_uniform(tf.shape(real)[0], [1, 1, 1], self._seed(_SEED_ALPHA, step))
        with tf.GradientTape() as tape:
            d_loss, d_terms = self._discriminator_losses(real, c_org, c_trg, dataset, alpha, True)
            scaled = self.d_optimizer.scale_loss(d_loss / replicas)
        self._apply(self.d_optimizer, scaled, tape, self.discriminator_variables())

        def generator_step():
            with tf.GradientTape() as g_tape:
                g_loss, g_terms = self._generator_losses(real, c_org, c_trg, dataset, True)
                g_scaled = self.g_optimizer.scale_loss(g_loss / replicas)
            self._apply(self.g_optimizer, g_scaled, g_tape, self.generator_variables())
            return g_loss, g_terms

        def skip():
            return tf.constant(0.0), {k: tf.constant(0.0) for k in ("g_fake", "g_cls", "g_rec")}

        if self.n_critic == 1:
            g_loss, g_terms = generator_step()
            weight = 1.0
        else:
            if tf.distribute.has_strategy():
                # A synchronised optimizer update cannot sit inside tf.cond under tf.distribute.
                raise ValueError(
                    f"StarGAN with n_critic={self.n_critic} trains under the default strategy "
                    "only (its generator update is conditional); use --strategy default, or "
                    "n_critic=1 with a distribution strategy."
                )
            stepped = tf.equal(self.d_optimizer.iterations % self.n_critic, 0)
            g_loss, g_terms = tf.cond(stepped, generator_step, skip)
            weight = tf.cast(stepped, tf.float32)
        return self._weighted_record(
            {"d_loss": d_loss, **d_terms}, {"g_loss": g_loss, **g_terms}, weight
        )

    def test_step(self, data):
        real, c_org, dataset = self._batch(data)
        c_trg = self._targets(c_org, dataset, 0)
        alpha = replica_uniform(tf.shape(real)[0], [1, 1, 1], self._seed(_SEED_ALPHA, 0))
        d_loss, d_terms = self._discriminator_losses(real, c_org, c_trg, dataset, alpha, False)
        g_loss, g_terms = self._generator_losses(real, c_org, c_trg, dataset, False)
        return self._weighted_record({"d_loss": d_loss, **d_terms}, {"g_loss": g_loss, **g_terms})

    def _weighted_record(self, d_logs, g_logs, g_weight=1.0):
        """The trackers; generator terms count only on steps that updated the generator."""
        for name, value in d_logs.items():
            self._trackers[name].update_state(value)
        for name, value in g_logs.items():
            self._trackers[name].update_state(value, sample_weight=g_weight)
        return self._record({})

    # ---------------------------------------------------------------- runs
    @classmethod
    def run_model_kwargs(cls, data: str, config) -> dict:
        from keras_gan.models.stargan.stargan_run import run_model_kwargs

        return run_model_kwargs(cls, data, config)

    def run_data(self, data: str, config):
        from keras_gan.models.stargan.stargan_run import run_data

        return run_data(self, data, config)

    def run_compile(self, config, steps_per_epoch: int) -> None:
        from keras_gan.models.stargan.stargan_run import run_compile

        run_compile(self, config, steps_per_epoch)

    def held_out_scores(self, held_out, batch_size: int = 8) -> dict:
        from keras_gan.models.stargan.stargan_run import held_out_scores

        return held_out_scores(self, held_out, batch_size)

    # --------------------------------------------------------- serialization
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            **{key: getattr(self, key) for key in _OPTIONS},
            "generator": keras.layers.serialize(self.generator),
            "discriminator": keras.layers.serialize(self.discriminator),
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, ("generator", "discriminator")))
