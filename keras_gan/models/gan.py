"""The base GAN: a `keras.Model` that trains a generator and a discriminator with `fit`.

Every noise-to-image family is this model with its own networks and defaults;
conditional families override the few hooks that say what the generator and the
discriminator take and which auxiliary losses they add.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.api_export import keras_gan_export
from keras_gan.losses import get_adversarial_losses, gradient_penalty, interpolate, r1_penalty
from keras_gan.models.adversarial_model import AdversarialModel, deserialize_networks
from keras_gan.models.replica_random import num_replicas, replica_normal, replica_uniform
from keras_gan.tasks.image_generator import ImageGenerator

# Offsets that keep the seeds of the different random draws in a step apart.
_SEED_D_LATENT, _SEED_G_LATENT, _SEED_EPSILON, _SEED_EVAL, _SEED_METRICS = 0, 1, 2, 3, 4


@keras_gan_export("keras_gan.models.GAN")
class GAN(ImageGenerator, AdversarialModel):
    """A generator and a discriminator trained adversarially with `fit`.

    `compile(metrics=[...])` metrics (a `keras_gan.metrics.FrechetDistance`, ...)
    are updated in `evaluate` with each real batch and as many new samples.

    Args:
        generator: a Keras model from the latent input(s) to images in [-1, 1].
        discriminator: a Keras model from images (and labels) to logits, or to a
            dict with at least `logits`.
        latent_dim: size of the noise vector z.
        loss: adversarial loss: `non_saturating`, `minimax`, `least_squares`,
            `hinge` or `wasserstein`.
        d_steps: discriminator updates per generator update (each with new noise
            on the same real batch).
        gradient_penalty_weight: weight of the WGAN-GP penalty (0 disables it).
        r1_weight: weight of the R1 penalty on real data (0 disables it).
        clip_value: if set, the discriminator's weights are clipped to
            [-clip_value, clip_value] after each update (the original WGAN).
        ema_decay: if set, keep an exponential moving average of the generator's
            weights, used by `generate`, `call` and export.
        seed: base seed of the training noise. The noise of a step is a
            function of the seed and the optimizers' step counters, so runs are
            reproducible and independent of how a batch is split over replicas.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        loss: str = "non_saturating",
        d_steps: int = 1,
        gradient_penalty_weight: float = 0.0,
        r1_weight: float = 0.0,
        clip_value: float | None = None,
        ema_decay: float | None = None,
        seed: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        get_adversarial_losses(loss)  # validates the name
        if int(d_steps) < 1:
            raise ValueError(f"d_steps must be >= 1. Received: d_steps={d_steps}")
        if ema_decay is not None and not 0.0 < ema_decay < 1.0:
            raise ValueError(f"ema_decay must be in (0, 1). Received: ema_decay={ema_decay}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.loss_name = loss
        self.d_steps = int(d_steps)
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.r1_weight = float(r1_weight)
        self.clip_value = clip_value
        self.ema_decay = ema_decay
        self.seed = int(seed)
        self.ema_generator = None
        if ema_decay is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
        self.built = True

    # ------------------------------------------------------------------ hooks
    num_classes: int | None = None
    metrics_compare = "the real batch and as many generated samples"

    def loss_names(self) -> list[str]:
        """The keys `train_step` returns: stable for a given configuration."""
        names = ["d_loss", "g_loss"]
        if self.gradient_penalty_weight:
            names.append("gp")
        if self.r1_weight:
            names.append("r1")
        return names

    def sample_latents(self, batch_size, seed) -> dict:
        """Draws the generator's random inputs for `batch_size` examples."""
        return {"z": replica_normal(batch_size, [self.latent_dim], seed)}

    def generator_inputs(self, latents: dict):
        """Maps sampled latents to the generator's call inputs."""
        return latents["z"]

    def discriminator_inputs(self, images, labels):
        """Maps images (and labels) to the discriminator's call inputs."""
        return images

    def discriminator_auxiliary_losses(self, real_outputs, fake_outputs, labels, latents):
        """Extra named discriminator loss terms, already weighted (none by default)."""
        return {}

    def generator_auxiliary_losses(self, fake_outputs, latents):
        """Extra named generator loss terms, already weighted (none by default)."""
        return {}

    def generator_variables(self) -> list:
        return self.generator.trainable_variables

    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables

    # ------------------------------------------------------------- the steps
    def _unpack(self, data):
        if isinstance(data, (tuple, list)):
            images = data[0]
            labels = data[1] if len(data) > 1 else None
        else:
            images, labels = data, None
        if self.num_classes and labels is None:
            raise ValueError(
                f"{type(self).__name__} is conditional and needs labels: the dataset must "
                "yield (images, labels)."
            )
        expected = tuple(self.generator.output.shape[1:])
        received = tuple(images.shape[1:])
        if len(received) != len(expected) or any(
            r is not None and r != e for r, e in zip(received, expected, strict=True)
        ):
            raise ValueError(
                f"The data yields images of shape {received}, but "
                f"{type(self).__name__}'s generator makes {expected}."
            )
        if labels is not None and self.num_classes:
            labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
        return tf.cast(images, tf.float32), labels

    def _seed(self, offset, counter, step=0):
        base = tf.cast(self.seed * 1000 + offset * 100 + step, tf.int64)
        return tf.stack([base, tf.cast(counter, tf.int64)])

    def _discriminate(self, images, labels, training):
        outputs = self.discriminator(self.discriminator_inputs(images, labels), training=training)
        return outputs if isinstance(outputs, dict) else {"logits": outputs}

    def _penalty_gradients(self, images, labels, training):
        with tf.GradientTape() as tape:
            tape.watch(images)
            total = tf.reduce_sum(self._discriminate(images, labels, training)["logits"])
        return tape.gradient(total, images)

    def _discriminator_losses(self, real, labels, latents, epsilon_seed, training):
        d_adv, _ = get_adversarial_losses(self.loss_name)
        fake = self.generator(self.generator_inputs(latents), training=training)
        fake = tf.cast(fake, tf.float32)
        real_out = self._discriminate(real, labels, training)
        fake_out = self._discriminate(fake, latents.get("labels"), training)
        terms = {"adversarial": d_adv(real_out["logits"], fake_out["logits"])}
        if self.gradient_penalty_weight:
            batch = tf.shape(real)[0]
            epsilon = replica_uniform(batch, [1, 1, 1], epsilon_seed)
            mixed = interpolate(real, fake, epsilon)
            terms["gp"] = gradient_penalty(self._penalty_gradients(mixed, labels, training))
        if self.r1_weight:
            terms["r1"] = r1_penalty(self._penalty_gradients(real, labels, training))
        aux = self.discriminator_auxiliary_losses(real_out, fake_out, labels, latents)
        total = (
            terms["adversarial"]
            + self.gradient_penalty_weight * terms.get("gp", 0.0)
            + 0.5 * self.r1_weight * terms.get("r1", 0.0)
            + tf.add_n(list(aux.values()) or [tf.constant(0.0)])
        )
        return total, {**{k: v for k, v in terms.items() if k != "adversarial"}, **aux}

    def _generator_losses(self, latents, training):
        _, g_adv = get_adversarial_losses(self.loss_name)
        fake = self.generator(self.generator_inputs(latents), training=training)
        fake_out = self._discriminate(tf.cast(fake, tf.float32), latents.get("labels"), training)
        aux = self.generator_auxiliary_losses(fake_out, latents)
        total = g_adv(fake_out["logits"]) + tf.add_n(list(aux.values()) or [tf.constant(0.0)])
        return total, aux

    def train_step(self, data):
        real, labels = self._unpack(data)
        batch = tf.shape(real)[0]
        replicas = num_replicas()
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables
        logs = {}
        for step in range(self.d_steps):
            latents = self.sample_latents(
                batch, self._seed(_SEED_D_LATENT, self.d_optimizer.iterations, step)
            )
            eps_seed = self._seed(_SEED_EPSILON, self.d_optimizer.iterations, step)
            with tf.GradientTape() as tape:
                d_loss, d_terms = self._discriminator_losses(real, labels, latents, eps_seed, True)
                # Gradients are summed over replicas: scale to the global batch.
                scaled = self.d_optimizer.scale_loss(d_loss / replicas)
            self._apply(self.d_optimizer, scaled, tape, d_vars)
            if self.clip_value is not None:
                for variable in d_vars:
                    variable.assign(tf.clip_by_value(variable, -self.clip_value, self.clip_value))
        logs.update(d_loss=d_loss, **d_terms)
        latents = self.sample_latents(
            batch, self._seed(_SEED_G_LATENT, self.g_optimizer.iterations)
        )
        with tf.GradientTape() as tape:
            g_loss, g_terms = self._generator_losses(latents, True)
            scaled = self.g_optimizer.scale_loss(g_loss / replicas)
        self._apply(self.g_optimizer, scaled, tape, g_vars)
        logs.update(g_loss=g_loss, **g_terms)
        if self.ema_generator is not None:
            self._update_ema()
        return self._record(logs)

    def test_step(self, data):
        real, labels = self._unpack(data)
        batch = tf.shape(real)[0]
        samples = self._metric_samples(batch) if self._quality_metrics else None
        latents = self.sample_latents(batch, self._seed(_SEED_EVAL, 0))
        d_loss, d_terms = self._discriminator_losses(
            real, labels, latents, self._seed(_SEED_EVAL, 1), False
        )
        g_loss, g_terms = self._generator_losses(latents, False)
        logs = self._record({"d_loss": d_loss, "g_loss": g_loss, **d_terms, **g_terms})
        if samples is not None:
            logs.update(self._measure_quality(real, samples))
        return logs

    def _metric_samples(self, batch):
        """As many samples as the real batch, for the compiled metrics.

        The noise of the i-th batch of an `evaluate` depends on `seed` and i
        (the batches the `d_loss` tracker has seen since its reset), so every
        batch gets new samples and two `evaluate` calls the same ones.
        """
        index = self._trackers["d_loss"].count
        latents = self.sample_latents(batch, self._seed(_SEED_METRICS, index))
        samples = self.sampling_generator(self.generator_inputs(latents), training=False)
        return tf.cast(samples, tf.float32)

    def _update_ema(self):
        decay = self.ema_decay
        for ema_weight, weight in zip(
            self.ema_generator.weights, self.generator.weights, strict=True
        ):
            if weight.trainable:
                ema_weight.assign(decay * ema_weight + (1.0 - decay) * weight)
            else:
                ema_weight.assign(weight)

    # -------------------------------------------------------------- sampling
    @property
    def sampling_generator(self) -> keras.Model:
        """The network used to sample and export: the EMA copy when kept."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    def call(self, inputs, training=False):
        return self.sampling_generator(inputs, training=training)

    def sample_z(self, n: int, seed: int | None = None) -> np.ndarray:
        """Noise vectors [n, latent_dim] from a NumPy generator seeded with `seed`."""
        rng = np.random.default_rng(seed)
        return rng.standard_normal((n, self.latent_dim)).astype("float32")

    def grid_columns(self) -> int | None:
        """Columns of a sample grid: one per class for conditional models, else square."""
        return self.num_classes

    def sampling_inputs(self, n: int, seed: int | None = None, **kwargs) -> dict:
        """The latents `generate` feeds to the generator (NumPy)."""
        if kwargs:
            raise ValueError(
                f"{type(self).__name__}.generate takes no {sorted(kwargs)} argument(s)."
            )
        return {"z": self.sample_z(n, seed)}

    # --------------------------------------------------------- serialization
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.layers.serialize(self.generator),
            "discriminator": keras.layers.serialize(self.discriminator),
            "latent_dim": self.latent_dim,
            "loss": self.loss_name,
            "d_steps": self.d_steps,
            "gradient_penalty_weight": self.gradient_penalty_weight,
            "r1_weight": self.r1_weight,
            "clip_value": self.clip_value,
            "ema_decay": self.ema_decay,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, ("generator", "discriminator")))
