"""Pix2Pix (Isola et al., 2017): paired image-to-image translation with a conditional PatchGAN."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.data.paired import check_direction
from keras_gan.losses import (
    gan_mode_discriminator_loss,
    gan_mode_generator_loss,
    gradient_penalty,
    interpolate,
    mean_absolute_error,
)
from keras_gan.models.image_translation.networks import build_discriminator, build_generator
from keras_gan.models.image_translation.translation_model import (
    ImageTranslationModel,
    interleave,
)
from keras_gan.models.replica_random import num_replicas, replica_uniform
from keras_gan.registry import register_family

_SEED_EPSILON, _SEED_EVAL = 0, 1


@register_family("pix2pix")
class Pix2Pix(ImageTranslationModel):
    """A generator from source to target images and a PatchGAN on (source, image) pairs.

    Defaults are the reference implementation's pix2pix options: `unet_256`,
    `basic` (70x70) discriminator, batch norm, dropout, `vanilla` GAN loss, L1
    weight 100, Adam(2e-4, beta_1=0.5), crops of 256 from images resized to 286.

    The dataset yields `(images_a, images_b)`; `direction` says which is the
    source (`AtoB`: A -> B).
    `compile(metrics=[...])` metrics (`keras_gan.metrics.PSNR`, ...) are updated
    in `evaluate` with `(target, output)`.

    Args:
        generator_type: `unet_128`, `unet_256`, `resnet_6blocks`, `resnet_9blocks`.
        discriminator_type: `basic`, `n_layers` or `pixel`.
        input_channels, output_channels: channels of source and target images.
        filters: generator filters of the first layer (`--ngf`).
        discriminator_filters: discriminator filters of the first layer (`--ndf`).
        num_discriminator_layers: layers of an `n_layers` discriminator (`--n_layers_D`).
        norm: `batch`, `instance` or `none`, for both networks.
        dropout: dropout in the generator (the reference's default for pix2pix).
        gan_mode: `vanilla`, `lsgan` or `wgangp`.
        l1_weight: weight of the L1 loss (`--lambda_L1`).
        gradient_penalty_weight: weight of the gradient penalty in `wgangp` mode.
        direction: `AtoB` or `BtoA`.
        image_size, load_size, seed: see `ImageTranslationModel`.
        generator, discriminator: networks to use instead of building them.
    """

    metrics_compare = "the targets and the translated sources"
    evaluation_kind = "paired"
    held_out_metric = "l1"
    tiny_config = dict(
        generator_type="unet_128", filters=4, discriminator_filters=4, image_size=128, load_size=128
    )

    def __init__(
        self,
        generator_type: str = "unet_256",
        discriminator_type: str = "basic",
        input_channels: int = 3,
        output_channels: int = 3,
        filters: int = 64,
        discriminator_filters: int = 64,
        num_discriminator_layers: int = 3,
        norm: str = "batch",
        dropout: bool = True,
        gan_mode: str = "vanilla",
        l1_weight: float = 100.0,
        gradient_penalty_weight: float = 10.0,
        direction: str = "AtoB",
        image_size: int = 256,
        load_size: int = 286,
        seed: int = 0,
        generator: keras.Model | None = None,
        discriminator: keras.Model | None = None,
        **kwargs,
    ):
        super().__init__(
            generator_type,
            discriminator_type,
            filters,
            discriminator_filters,
            num_discriminator_layers,
            norm,
            dropout,
            gan_mode,
            image_size,
            load_size,
            seed,
            **kwargs,
        )
        self.direction = check_direction(direction)
        self.input_channels = int(input_channels)
        self.output_channels = int(output_channels)
        self.l1_weight = float(l1_weight)
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        g_options, d_options = self.network_options()
        self.generator = generator or build_generator(
            generator_type, input_channels, output_channels, **g_options
        )
        self.discriminator = discriminator or build_discriminator(
            discriminator_type, input_channels + output_channels, **d_options
        )
        made = (int(self.generator.inputs[0].shape[-1]), int(self.generator.outputs[0].shape[-1]))
        if made != (self.input_channels, self.output_channels):
            raise ValueError(
                f"Pix2Pix's config contradicts itself: input_channels={input_channels}, "
                f"output_channels={output_channels}, but its generator maps {made[0]} to "
                f"{made[1]} channels."
            )
        self.built = True

    # ----------------------------------------------------------------- hooks
    def loss_names(self) -> list[str]:
        names = ["d_loss", "g_loss", "g_gan", "l1"]
        return names + ["gp"] if self.gan_mode == "wgangp" else names

    def generator_variables(self) -> list:
        return self.generator.trainable_variables

    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables

    @property
    def sampling_generator(self) -> keras.Model:
        return self.generator

    channel_options = ("input_channels", "output_channels")

    def run_data(self, data: str, config):
        from keras_gan.models.image_translation.translation_run import paired_run_data

        return paired_run_data(self, data, config)

    def held_out_scores(self, held_out, batch_size: int = 4) -> dict:
        """Held-out L1 to the targets; the baseline copies the input (same channels only)."""
        from keras_gan.models.image_translation.translation_run import held_out_logs

        scores = {
            "metric": self.held_out_metric,
            "value": held_out_logs(self, held_out, batch_size)["l1"],
            "lower_is_better": True,
        }
        sources, targets = held_out if self.direction == "AtoB" else held_out[::-1]
        copied = self.baseline(sources)
        if copied is not None:
            scores["baseline"] = float(np.mean(np.abs(copied - targets)))
            scores["baseline_name"] = "copy_input"
        return scores

    def baseline(self, inputs) -> np.ndarray | None:
        """The sources themselves (copying the input), where sources and targets share channels."""
        if self.input_channels != self.output_channels:
            return None
        return np.asarray(inputs, "float32")

    def sample_rows(self, images_a, images_b):
        """input | output | target per example."""
        source, target = (images_a, images_b) if self.direction == "AtoB" else (images_b, images_a)
        return interleave(source, self.translate(source), target)

    # ----------------------------------------------------------------- steps
    def _source_target(self, data):
        channels = (self.input_channels, self.output_channels)
        if self.direction == "BtoA":
            channels = channels[::-1]
        a, b = self._unpack_pair(data, channels, type(self).__name__)
        return (a, b) if self.direction == "AtoB" else (b, a)

    def _judge(self, source, images, training):
        return self.discriminator(tf.concat([source, images], axis=-1), training=training)

    def _discriminator_loss(self, source, target, fake, seed, training):
        real_logits = self._judge(source, target, training)
        fake_logits = self._judge(source, fake, training)
        loss = gan_mode_discriminator_loss(real_logits, fake_logits, self.gan_mode)
        terms = {}
        if self.gan_mode == "wgangp":
            real_pair = tf.concat([source, target], axis=-1)
            fake_pair = tf.concat([source, fake], axis=-1)
            epsilon = replica_uniform(tf.shape(source)[0], [1, 1, 1], seed)
            mixed = interpolate(real_pair, fake_pair, epsilon)
            with tf.GradientTape() as tape:
                tape.watch(mixed)
                total = tf.reduce_sum(self.discriminator(mixed, training=training))
            terms["gp"] = gradient_penalty(tape.gradient(total, mixed))
            loss += self.gradient_penalty_weight * terms["gp"]
        return loss, terms

    def _generator_loss(self, source, target, fake, training):
        g_gan = gan_mode_generator_loss(self._judge(source, fake, training), self.gan_mode)
        l1 = mean_absolute_error(target, fake)
        return g_gan + self.l1_weight * l1, {"g_gan": g_gan, "l1": l1}

    def train_step(self, data):
        source, target = self._source_target(data)
        replicas = num_replicas()
        seed = self._seed(_SEED_EPSILON, self.d_optimizer.iterations)
        # As the reference: one generator pass, a discriminator update on the
        # detached fakes, then the generator update against the updated
        # discriminator.
        with tf.GradientTape() as g_tape:
            fake = tf.cast(self.generator(source, training=True), tf.float32)
            with tf.GradientTape() as d_tape:
                d_loss, d_terms = self._discriminator_loss(
                    source, target, tf.stop_gradient(fake), seed, True
                )
                scaled = self.d_optimizer.scale_loss(d_loss / replicas)
            self._apply(self.d_optimizer, scaled, d_tape, self.discriminator_variables())
            g_loss, g_terms = self._generator_loss(source, target, fake, True)
            g_scaled = self.g_optimizer.scale_loss(g_loss / replicas)
        self._apply(self.g_optimizer, g_scaled, g_tape, self.generator_variables())
        return self._record({"d_loss": d_loss, "g_loss": g_loss, **d_terms, **g_terms})

    def test_step(self, data):
        source, target = self._source_target(data)
        fake = tf.cast(self.generator(source, training=False), tf.float32)
        seed = self._seed(_SEED_EVAL, 0)
        d_loss, d_terms = self._discriminator_loss(source, target, fake, seed, False)
        g_loss, g_terms = self._generator_loss(source, target, fake, False)
        logs = self._record({"d_loss": d_loss, "g_loss": g_loss, **d_terms, **g_terms})
        return {**logs, **self._measure_quality(target, fake)}

    # --------------------------------------------------------- serialization
    network_keys = ("generator", "discriminator")

    def family_config(self):
        return {
            "input_channels": self.input_channels,
            "output_channels": self.output_channels,
            "l1_weight": self.l1_weight,
            "gradient_penalty_weight": self.gradient_penalty_weight,
            "direction": self.direction,
        }
