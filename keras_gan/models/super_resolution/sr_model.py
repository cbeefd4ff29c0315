"""What SRGAN and ESRGAN share: two training phases, batches of (low_res, high_res), upscale."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.data.super_resolution import bicubic_upscale
from keras_gan.losses.reconstruction import mean_absolute_error
from keras_gan.models.adversarial_model import (
    AdversarialModel,
    deserialize_networks,
    spans_workers,
)
from keras_gan.models.image_translation.translation_model import interleave
from keras_gan.models.replica_random import num_replicas
from keras_gan.models.super_resolution.sr_discriminator import build_sr_discriminator
from keras_gan.models.super_resolution.srresnet import upsampling_factors
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import check_architecture, vgg_conv_layers
from keras_gan.tasks.image_to_image import ImageToImage

PHASES = ("psnr", "gan")
PSNR_PHASE_LOSSES = ("l1",)
GAN_PHASE_LOSSES = ("d_loss", "g_loss", "g_adv", "perceptual", "l1")
EVALUATION_METRICS = ("l1", "psnr")
CHANNELS = 3


def check_phase(phase: str) -> str:
    if phase not in PHASES:
        raise ValueError(f"phase must be 'psnr' or 'gan'. Received: phase={phase!r}")
    return phase


def unit_range_psnr(images, targets) -> tf.Tensor:
    """PSNR in dB per image `[N]` of images in `[-1, 1]`, measured on `[0, 1]` (peak 1).

    `images` are clipped to `[-1, 1]` first; identical images give `inf`.
    """
    images = (tf.clip_by_value(tf.cast(images, tf.float32), -1.0, 1.0) + 1.0) * 0.5
    targets = (tf.cast(targets, tf.float32) + 1.0) * 0.5
    mse = tf.reduce_mean(tf.square(images - targets), axis=[1, 2, 3])
    return -10.0 * tf.math.log(mse) / tf.math.log(10.0)


class _Unsaved:
    """Holds a network built on demand, out of Keras' tracking: never saved nor counted."""

    network = None


class SuperResolutionModel(ImageToImage, AdversarialModel):
    """A generator from low-res to high-res images, trained in a `psnr` then a `gan` phase.

    Batches are `(low_res, high_res)` float32 NHWC RGB images in `[-1, 1]`, the high-res
    images `scale` times larger on each side (`keras_gan.data.super_resolution_dataset`).

    - `phase="psnr"` trains the generator alone on the L1 pixel loss (ESRGAN's
      pre-training; SRGAN's SRResNet used MSE). Reports `l1`.
    - `phase="gan"` trains the discriminator and then the generator on
      `pixel_weight * l1 + perceptual_weight * perceptual + adversarial_weight * g_adv`,
      the perceptual term comparing VGG features of the output and the target
      (`perceptual_layer` of an ImageNet `perceptual_architecture`). Reports `d_loss`,
      `g_loss`, `g_adv`, `perceptual`, `l1`.

    `set_phase` switches phase between `fit` calls. `evaluate` (and `validation_data`)
    reports `l1` and `psnr` (dB, on `[0, 1]` images) in either phase, and the metrics
    of `compile(metrics=[...])` updated with `(high_res, output)` (a compiled
    `keras_gan.metrics.PSNR` replaces the built-in `psnr`).

    The VGG network is built the first time a `gan`-phase `fit` starts, never in the
    `psnr` phase nor for inference, and is never saved: only a `gan`-phase `fit` needs
    the local VGG weights file (`keras_gan.perceptual.weights.find_vgg_weights`).

    Subclasses set `self.generator`, call `_set_discriminator` and implement the
    adversarial losses and the perceptual distance.

    Args:
        scale: the upscaling factor (2, 3, 4 or 8).
        phase: `"psnr"` or `"gan"`.
        discriminator_filters, discriminator_stages, discriminator_dense_units: see
            `build_sr_discriminator`.
        pixel_weight, perceptual_weight, adversarial_weight: `gan`-phase loss weights.
            With `perceptual_weight=0` no VGG is built.
        perceptual_architecture: `"vgg16"` or `"vgg19"`.
        perceptual_layer: the VGG convolution compared (`keras.applications` name).
        perceptual_weights: `"imagenet"` (the local file), a `.npz` path, or None for
            random VGG weights (tests only).
    """

    perceptual_before_activation = False
    generator_uses_real_logits = False
    # Adam (learning_rate, beta_1, beta_2) per phase, the paper's.
    optimizer_settings = {"psnr": (1e-4, 0.9, 0.999), "gan": (1e-4, 0.9, 0.999)}
    network_keys = ("generator", "discriminator")
    metrics_compare = "the high_res targets and the outputs (clipped to [-1, 1])"
    evaluation_kind = "super_resolution"
    tiny_config = dict(
        filters=8,
        num_blocks=1,
        discriminator_filters=4,
        discriminator_stages=2,
        discriminator_dense_units=8,
        perceptual_layer="block2_conv2",
        perceptual_weights=None,  # random VGG: no weights file needed
    )
    held_out_metric = "psnr_y"

    def __init__(
        self,
        *,
        scale: int,
        phase: str,
        discriminator_filters: int,
        discriminator_stages: int,
        discriminator_dense_units: int,
        pixel_weight: float,
        perceptual_weight: float,
        adversarial_weight: float,
        perceptual_architecture: str,
        perceptual_layer: str,
        perceptual_weights: str | None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        upsampling_factors(scale)
        self.scale = int(scale)
        self.phase = check_phase(phase)
        self.discriminator_filters = int(discriminator_filters)
        self.discriminator_stages = int(discriminator_stages)
        self.discriminator_dense_units = int(discriminator_dense_units)
        for name, value in (
            ("pixel_weight", pixel_weight),
            ("perceptual_weight", perceptual_weight),
            ("adversarial_weight", adversarial_weight),
        ):
            if not float(value) >= 0:
                raise ValueError(f"{name} must be >= 0. Received: {name}={value!r}")
        self.pixel_weight = float(pixel_weight)
        self.perceptual_weight = float(perceptual_weight)
        self.adversarial_weight = float(adversarial_weight)
        self.perceptual_architecture = check_architecture(perceptual_architecture)
        layers = [name for name, _, _ in vgg_conv_layers(perceptual_architecture)]
        if perceptual_layer not in layers:
            raise ValueError(
                f"perceptual_layer must be a {perceptual_architecture} convolution: {layers}. "
                f"Received: perceptual_layer={perceptual_layer!r}"
            )
        self.perceptual_layer = perceptual_layer
        self.perceptual_weights = None if perceptual_weights is None else str(perceptual_weights)
        self._perceptual = _Unsaved()

    def _set_discriminator(self, discriminator: keras.Model | None) -> None:
        """Checks the generator's scale; builds the discriminator unless one is given."""
        side = 8
        shape = tuple(self.generator.compute_output_shape((1, side, side, CHANNELS)))
        expected = (1, side * self.scale, side * self.scale, CHANNELS)
        if shape != expected:
            raise ValueError(
                f"The generator maps (1, {side}, {side}, {CHANNELS}) to {shape}, not to "
                f"{expected} as scale={self.scale} needs."
            )
        self.discriminator = discriminator or build_sr_discriminator(
            self.discriminator_filters,
            self.discriminator_stages,
            dense_units=self.discriminator_dense_units,
        )
        self.built = True

    # ----------------------------------------------------------------- hooks
    def discriminator_loss(self, real_logits, fake_logits):
        raise NotImplementedError

    def generator_adversarial_loss(self, real_logits, fake_logits):
        raise NotImplementedError

    def perceptual_distance(self, features, target_features):
        raise NotImplementedError

    def loss_names(self) -> list[str]:
        """The keys `train_step` returns in the current phase."""
        return list(PSNR_PHASE_LOSSES if self.phase == "psnr" else GAN_PHASE_LOSSES)

    def reserved_metric_names(self) -> list[str]:
        """The loss keys of both phases: a compiled metric cannot take them."""
        return list(dict.fromkeys(GAN_PHASE_LOSSES + PSNR_PHASE_LOSSES))

    def generator_variables(self) -> list:
        return self.generator.trainable_variables

    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables

    @property
    def sampling_generator(self) -> keras.Model:
        return self.generator

    @property
    def size_multiple(self) -> int:
        """Input sides must be multiples of this: any size works."""
        return 1

    # --------------------------------------------------------------- phases
    def set_phase(self, phase: str) -> None:
        """Switches to `"psnr"` or `"gan"` training; the next `fit` uses the new phase.

        The optimizers stay as compiled: call `compile()` again for the new phase's
        default optimizers (`default_optimizers`).
        """
        self.phase = check_phase(phase)
        self.train_function = None  # traced for the old phase

    def default_optimizers(self):
        """Adam with the paper's settings for the current phase (`optimizer_settings`)."""
        learning_rate, beta_1, beta_2 = self.optimizer_settings[self.phase]

        def adam():
            return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2)

        return adam(), adam()

    def compile(self, g_optimizer=None, d_optimizer=None, jit_compile=False, **kwargs):
        """See `AdversarialModel.compile`; the defaults depend on the phase."""
        if not self._trackers:  # every phase's keys and the evaluation's
            names = dict.fromkeys(GAN_PHASE_LOSSES + PSNR_PHASE_LOSSES + EVALUATION_METRICS)
            self._trackers = {name: keras.metrics.Mean(name=name) for name in names}
        super().compile(g_optimizer, d_optimizer, jit_compile=jit_compile, **kwargs)

    def make_train_function(self, force=False):
        if self.phase == "gan" and self.perceptual_weight > 0:
            self.perceptual_network()  # loads the VGG weights eagerly, before tracing
        return super().make_train_function(force)

    def perceptual_network(self) -> VGGFeatures:
        """The VGG feature layer of the perceptual loss, built on first use (never saved)."""
        if self._perceptual.network is None:
            with self.distribute_strategy.scope():
                network = VGGFeatures(
                    self.perceptual_architecture,
                    layer_names=(self.perceptual_layer,),
                    weights=self.perceptual_weights,
                    before_activation=self.perceptual_before_activation,
                    name="perceptual_vgg",
                )
                network.build((None, None, None, CHANNELS))
            self._perceptual.network = network
        return self._perceptual.network

    # ----------------------------------------------------------------- steps
    def _pair(self, data):
        """`(low_res, high_res)` float32 from a batch, with errors that name the problem."""
        low, high, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        name = type(self).__name__
        if high is None or sample_weight is not None:
            given = f"a tuple of {len(data)}" if isinstance(data, tuple) else "one tensor"
            raise ValueError(
                f"{name} trains on batches of (low_res, high_res) image pairs, without sample "
                f"weights. Received: {given}"
            )
        low, high = tf.cast(low, tf.float32), tf.cast(high, tf.float32)
        for label, images in (("low_res", low), ("high_res", high)):
            if images.shape.rank != 4 or images.shape[-1] not in (None, CHANNELS):
                raise ValueError(
                    f"{label} images must be [N, H, W, {CHANNELS}] (RGB). "
                    f"Received: shape {tuple(images.shape)}"
                )
        for axis in (1, 2):
            small, large = low.shape[axis], high.shape[axis]
            if small is not None and large is not None and large != self.scale * small:
                raise ValueError(
                    f"high_res images must be scale={self.scale} times the low_res images "
                    f"on each side. Received: low_res {tuple(low.shape)}, high_res "
                    f"{tuple(high.shape)}"
                )
        tf.debugging.assert_equal(
            tf.shape(high)[1:3],
            self.scale * tf.shape(low)[1:3],
            message=f"high_res sides must be scale={self.scale} times the low_res sides",
        )
        return low, high

    def train_step(self, data):
        low, high = self._pair(data)
        if self.phase == "psnr":
            return self._psnr_step(low, high)
        return self._gan_step(low, high)

    def _psnr_step(self, low, high):
        with tf.GradientTape() as tape:
            fake = tf.cast(self.generator(low, training=True), tf.float32)
            l1 = mean_absolute_error(high, fake)
            scaled = self.g_optimizer.scale_loss(l1 / num_replicas())
        self._apply(self.g_optimizer, scaled, tape, self.generator_variables())
        return self._report({"l1": l1})

    def _gan_step(self, low, high):
        replicas = num_replicas()
        # One generator pass; the discriminator learns on the detached output, then the
        # generator learns against the updated discriminator.
        with tf.GradientTape() as g_tape:
            fake = tf.cast(self.generator(low, training=True), tf.float32)
            with tf.GradientTape() as d_tape:
                real_logits = self.discriminator(high, training=True)
                fake_logits = self.discriminator(tf.stop_gradient(fake), training=True)
                d_loss = self.discriminator_loss(real_logits, fake_logits)
                d_scaled = self.d_optimizer.scale_loss(d_loss / replicas)
            self._apply(self.d_optimizer, d_scaled, d_tape, self.discriminator_variables())
            g_loss, terms = self._generator_loss(high, fake)
            g_scaled = self.g_optimizer.scale_loss(g_loss / replicas)
        self._apply(self.g_optimizer, g_scaled, g_tape, self.generator_variables())
        return self._report({"d_loss": d_loss, "g_loss": g_loss, **terms})

    def _generator_loss(self, high, fake):
        fake_logits = self.discriminator(fake, training=True)
        real_logits = None
        if self.generator_uses_real_logits:
            real_logits = tf.stop_gradient(self.discriminator(high, training=True))
        g_adv = self.generator_adversarial_loss(real_logits, fake_logits)
        if self.perceptual_weight > 0:
            vgg = self.perceptual_network()
            target_features = tf.stop_gradient(vgg(high)[0])
            perceptual = self.perceptual_distance(vgg(fake)[0], target_features)
        else:
            perceptual = tf.constant(0.0)
        l1 = mean_absolute_error(high, fake)
        g_loss = (
            self.pixel_weight * l1
            + self.perceptual_weight * perceptual
            + self.adversarial_weight * g_adv
        )
        return g_loss, {"g_adv": g_adv, "perceptual": perceptual, "l1": l1}

    def test_step(self, data):
        low, high = self._pair(data)
        fake = tf.clip_by_value(tf.cast(self.generator(low, training=False), tf.float32), -1, 1)
        logs = self._report(
            {
                "l1": mean_absolute_error(high, fake),
                "psnr": tf.reduce_mean(unit_range_psnr(fake, high)),
            }
        )
        return {**logs, **self._measure_quality(high, fake)}

    def _report(self, logs):
        """Updates the trackers of `logs` and returns their running means (only those)."""
        for name, value in logs.items():
            self._trackers[name].update_state(value)
        results = {name: self._trackers[name].result() for name in logs}
        if spans_workers(self.distribute_strategy):
            results = {name: tf.reshape(value, [1]) for name, value in results.items()}
        return results

    # ------------------------------------------------------------- inference
    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def upscale(self, images, batch_size: int = 1) -> np.ndarray:
        """Alias of `predict_images`."""
        return self.predict_images(images, batch_size=batch_size)

    def predict_images(self, images, batch_size: int = 1) -> np.ndarray:
        """Upscales RGB images in `[-1, 1]` (NumPy) by `scale`; float32 in `[-1, 1]`.

        Args:
            images: `[N, h, w, 3]` or one image `[h, w, 3]`.
            batch_size: images per generator call.

        Returns:
            `[N, h * scale, w * scale, 3]` (or `[h * scale, w * scale, 3]`).
        """
        images = np.asarray(images, dtype="float32")
        single = images.ndim == 3
        if single:
            images = images[None]
        if images.ndim != 4 or images.shape[-1] != CHANNELS:
            raise ValueError(
                f"images must be [N, H, W, {CHANNELS}] or [H, W, {CHANNELS}] RGB. "
                f"Received: shape {images.shape}"
            )
        outputs = self.generator.predict(images, batch_size=batch_size, verbose=0)
        outputs = np.clip(np.asarray(outputs, dtype="float32"), -1.0, 1.0)
        return outputs[0] if single else outputs

    # ---------------------------------------------------------------- runs
    @classmethod
    def run_model_kwargs(cls, data: str, config) -> dict:
        return {}  # --image-size is the high-res crop side (see `run_data`); no seed

    def run_data(self, data: str, config):
        from keras_gan.models.super_resolution.sr_run import sr_run_data

        return sr_run_data(self, data, config)

    def run_compile(self, config, steps_per_epoch: int) -> None:
        from keras_gan.models.super_resolution.sr_run import sr_run_compile

        sr_run_compile(self, config, steps_per_epoch)

    def held_out_scores(self, held_out, batch_size: int = 4) -> dict:
        from keras_gan.models.super_resolution.sr_run import sr_held_out_scores

        return sr_held_out_scores(self, held_out)

    def baseline(self, inputs) -> np.ndarray:
        """Bicubic upscaling of the low-resolution images by `scale`, in [-1, 1]."""
        upscaled = bicubic_upscale(np.asarray(inputs, "float32"), self.scale)
        return np.clip(np.asarray(upscaled, "float32"), -1.0, 1.0)

    def sample_rows(self, low_res, high_res) -> np.ndarray:
        """Rows of bicubic | model | target for a sample sheet (`TranslationGrid`)."""
        bicubic = np.asarray(bicubic_upscale(np.asarray(low_res, "float32"), self.scale))
        return interleave(bicubic, self.upscale(low_res), high_res)

    # --------------------------------------------------------- serialization
    def family_config(self) -> dict:
        """The architecture options a family adds to the shared config."""
        return {}

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "scale": self.scale,
            **self.family_config(),
            "discriminator_filters": self.discriminator_filters,
            "discriminator_stages": self.discriminator_stages,
            "discriminator_dense_units": self.discriminator_dense_units,
            "phase": self.phase,
            "pixel_weight": self.pixel_weight,
            "perceptual_weight": self.perceptual_weight,
            "adversarial_weight": self.adversarial_weight,
            "perceptual_architecture": self.perceptual_architecture,
            "perceptual_layer": self.perceptual_layer,
            "perceptual_weights": self.perceptual_weights,
            **{key: keras.layers.serialize(getattr(self, key)) for key in self.network_keys},
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, cls.network_keys))
