"""CycleGAN (Zhu et al., 2017): unpaired translation with cycle consistency."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.data.paired import check_direction
from keras_gan.layers import ImagePool
from keras_gan.losses import (
    gan_mode_discriminator_loss,
    gan_mode_generator_loss,
    mean_absolute_error,
)
from keras_gan.models.image_translation.networks import build_discriminator, build_generator
from keras_gan.models.image_translation.translation_model import (
    ImageTranslationModel,
    interleave,
)
from keras_gan.models.replica_random import num_replicas
from keras_gan.registry import register_family

_SEED_POOL_A, _SEED_POOL_B = 0, 1


@register_family("cyclegan")
class CycleGAN(ImageTranslationModel):
    """Two generators (A -> B, B -> A) and two PatchGANs, trained on unpaired batches.

    Defaults are the reference implementation's cycle_gan options:
    `resnet_9blocks`, `basic` discriminators, instance norm, no dropout, `lsgan`,
    cycle weights 10, identity weight 0.5 (times the cycle weight), a pool of 50
    generated images per discriminator, Adam(2e-4, beta_1=0.5) for both
    generators together and both discriminators together.

    `model.generator` is the A -> B generator (`generator_ab`); `translate(x,
    direction="BtoA")` runs `generator_ba`. `discriminator_b` judges B images
    (the reference's D_A), `discriminator_a` judges A images (D_B).

    Args:
        generator_type: `unet_128`, `unet_256`, `resnet_6blocks`, `resnet_9blocks`.
        discriminator_type: `basic`, `n_layers` or `pixel`.
        channels_a, channels_b: channels of the two domains.
        filters, discriminator_filters, num_discriminator_layers, norm, dropout:
            the networks' options (`--ngf`, `--ndf`, `--n_layers_D`, `--norm`).
        gan_mode: `vanilla`, `lsgan` or `wgangp` (no penalty, as the reference).
        lambda_a, lambda_b: weights of the cycle losses A -> B -> A and B -> A -> B.
        lambda_identity: identity loss weight, relative to the cycle weights
            (needs channels_a == channels_b when > 0).
        pool_size: generated images kept per discriminator (0: no pool).
        image_size, load_size, seed: see `ImageTranslationModel`.
        generator_ab, generator_ba, discriminator_a, discriminator_b: networks to
            use instead of building them.
    """

    evaluation_kind = "unpaired"
    held_out_metric = "cycle_l1"
    tiny_config = dict(
        generator_type="resnet_6blocks",
        discriminator_type="n_layers",
        num_discriminator_layers=2,
        filters=4,
        discriminator_filters=4,
        image_size=32,
        load_size=32,
    )

    def __init__(
        self,
        generator_type: str = "resnet_9blocks",
        discriminator_type: str = "basic",
        channels_a: int = 3,
        channels_b: int = 3,
        filters: int = 64,
        discriminator_filters: int = 64,
        num_discriminator_layers: int = 3,
        norm: str = "instance",
        dropout: bool = False,
        gan_mode: str = "lsgan",
        lambda_a: float = 10.0,
        lambda_b: float = 10.0,
        lambda_identity: float = 0.5,
        pool_size: int = 50,
        image_size: int = 256,
        load_size: int = 286,
        seed: int = 0,
        generator_ab: keras.Model | None = None,
        generator_ba: keras.Model | None = None,
        discriminator_a: keras.Model | None = None,
        discriminator_b: keras.Model | None = None,
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
        if lambda_identity > 0 and channels_a != channels_b:
            raise ValueError(
                f"The identity loss needs domains with the same channels (got {channels_a} "
                f"and {channels_b}): set lambda_identity=0."
            )
        self.channels_a = int(channels_a)
        self.channels_b = int(channels_b)
        self.lambda_a = float(lambda_a)
        self.lambda_b = float(lambda_b)
        self.lambda_identity = float(lambda_identity)
        self.pool_size = int(pool_size)
        g_options, d_options = self.network_options()
        self.generator_ab = generator_ab or build_generator(
            generator_type, channels_a, channels_b, name="generator_ab", **g_options
        )
        self.generator_ba = generator_ba or build_generator(
            generator_type, channels_b, channels_a, name="generator_ba", **g_options
        )
        self.discriminator_a = discriminator_a or build_discriminator(
            discriminator_type, channels_a, name="discriminator_a", **d_options
        )
        self.discriminator_b = discriminator_b or build_discriminator(
            discriminator_type, channels_b, name="discriminator_b", **d_options
        )
        self.pool_a = ImagePool(pool_size, (image_size, image_size, channels_a), name="pool_a")
        self.pool_b = ImagePool(pool_size, (image_size, image_size, channels_b), name="pool_b")
        self.built = True

    # ----------------------------------------------------------------- hooks
    @property
    def generator(self) -> keras.Model:
        """The A -> B generator: the network `generate`, `call` and export use."""
        return self.generator_ab

    def loss_names(self) -> list[str]:
        names = ["d_loss", "g_loss", "d_a", "d_b", "g_gan_ab", "g_gan_ba", "cycle_a", "cycle_b"]
        return names + ["identity_a", "identity_b"] if self.lambda_identity else names

    def generator_variables(self) -> list:
        return self.generator_ab.trainable_variables + self.generator_ba.trainable_variables

    def discriminator_variables(self) -> list:
        return self.discriminator_a.trainable_variables + self.discriminator_b.trainable_variables

    @property
    def sampling_generator(self) -> keras.Model:
        return self.generator_ab

    channel_options = ("channels_a", "channels_b")

    def run_data(self, data: str, config):
        from keras_gan.models.image_translation.translation_run import unpaired_run_data

        return unpaired_run_data(self, data, config)

    def held_out_scores(self, held_out, batch_size: int = 4) -> dict:
        """Held-out cycle error, A -> B -> A and B -> A -> B (mean L1)."""
        from keras_gan.models.image_translation.translation_run import held_out_logs

        logs = held_out_logs(self, held_out, batch_size)
        value = 0.5 * (logs["cycle_a"] + logs["cycle_b"])
        return {"metric": self.held_out_metric, "value": value, "lower_is_better": True}

    def export_network_for(self, direction: str | None) -> tuple[keras.Model, str]:
        direction = direction or "AtoB"
        return self.translation_network(direction=direction), direction

    def translation_network(self, direction: str = "AtoB"):
        return self.generator_ab if check_direction(direction) == "AtoB" else self.generator_ba

    def sample_rows(self, images_a, images_b):
        """A | A -> B | back to A, then B | B -> A | back to B."""
        fake_b = self.translate(images_a)
        fake_a = self.translate(images_b, direction="BtoA")
        return np.concatenate(
            [
                interleave(images_a, fake_b, self.translate(fake_b, direction="BtoA")),
                interleave(images_b, fake_a, self.translate(fake_a)),
            ]
        )

    # ----------------------------------------------------------------- steps
    def _pair(self, data, training):
        a, b = self._unpack_pair(data, (self.channels_a, self.channels_b), "CycleGAN")
        if training:
            # The pools hold images of the training size.
            for side, images in (("a", a), ("b", b)):
                size = tuple(images.shape[1:3])
                if None not in size and size != (self.image_size, self.image_size):
                    raise ValueError(
                        f"images_{side} are {size[0]}x{size[1]}; CycleGAN(image_size="
                        f"{self.image_size}) trains on {self.image_size}x{self.image_size} crops."
                    )
        return a, b

    def _generator_losses(self, a, b, training):
        fake_b = tf.cast(self.generator_ab(a, training=training), tf.float32)
        fake_a = tf.cast(self.generator_ba(b, training=training), tf.float32)
        rec_a = tf.cast(self.generator_ba(fake_b, training=training), tf.float32)
        rec_b = tf.cast(self.generator_ab(fake_a, training=training), tf.float32)
        terms = {
            "g_gan_ab": gan_mode_generator_loss(
                self.discriminator_b(fake_b, training=training), self.gan_mode
            ),
            "g_gan_ba": gan_mode_generator_loss(
                self.discriminator_a(fake_a, training=training), self.gan_mode
            ),
            "cycle_a": mean_absolute_error(a, rec_a),
            "cycle_b": mean_absolute_error(b, rec_b),
        }
        total = (
            terms["g_gan_ab"]
            + terms["g_gan_ba"]
            + self.lambda_a * terms["cycle_a"]
            + self.lambda_b * terms["cycle_b"]
        )
        if self.lambda_identity:
            # G_ab should leave B images alone, and G_ba A images.
            terms["identity_b"] = mean_absolute_error(b, self.generator_ab(b, training=training))
            terms["identity_a"] = mean_absolute_error(a, self.generator_ba(a, training=training))
            total += self.lambda_identity * (
                self.lambda_b * terms["identity_b"] + self.lambda_a * terms["identity_a"]
            )
        return total, terms, fake_a, fake_b

    def _discriminator_losses(self, a, b, fake_a, fake_b, training):
        d_a = gan_mode_discriminator_loss(
            self.discriminator_a(a, training=training),
            self.discriminator_a(fake_a, training=training),
            self.gan_mode,
        )
        d_b = gan_mode_discriminator_loss(
            self.discriminator_b(b, training=training),
            self.discriminator_b(fake_b, training=training),
            self.gan_mode,
        )
        return d_a + d_b, {"d_a": d_a, "d_b": d_b}

    def train_step(self, data):
        a, b = self._pair(data, training=True)
        replicas = num_replicas()
        # As the reference: the generators' update first, then the
        # discriminators' on (pooled) fakes of the same forward pass.
        with tf.GradientTape() as tape:
            g_loss, g_terms, fake_a, fake_b = self._generator_losses(a, b, True)
            scaled = self.g_optimizer.scale_loss(g_loss / replicas)
        self._apply(self.g_optimizer, scaled, tape, self.generator_variables())
        step = self.d_optimizer.iterations
        fake_a = self.pool_a(fake_a, seed=self._seed(_SEED_POOL_A, step))
        fake_b = self.pool_b(fake_b, seed=self._seed(_SEED_POOL_B, step))
        with tf.GradientTape() as tape:
            d_loss, d_terms = self._discriminator_losses(a, b, fake_a, fake_b, True)
            scaled = self.d_optimizer.scale_loss(d_loss / replicas)
        self._apply(self.d_optimizer, scaled, tape, self.discriminator_variables())
        return self._record({"d_loss": d_loss, "g_loss": g_loss, **d_terms, **g_terms})

    def test_step(self, data):
        a, b = self._pair(data, training=False)
        g_loss, g_terms, fake_a, fake_b = self._generator_losses(a, b, False)
        d_loss, d_terms = self._discriminator_losses(a, b, fake_a, fake_b, False)
        return self._record({"d_loss": d_loss, "g_loss": g_loss, **d_terms, **g_terms})

    # --------------------------------------------------------- serialization
    network_keys = ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b")

    def family_config(self):
        return {
            "channels_a": self.channels_a,
            "channels_b": self.channels_b,
            "lambda_a": self.lambda_a,
            "lambda_b": self.lambda_b,
            "lambda_identity": self.lambda_identity,
            "pool_size": self.pool_size,
        }
