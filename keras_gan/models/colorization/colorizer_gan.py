"""Colorizer: pix2pix's U-Net and PatchGAN predicting the ab channels of Lab from L.

Trained on plain colour photos: each batch is converted to CIE Lab in the
graph, the U-Net sees L and predicts ab, the PatchGAN judges (L, ab) pairs
(Isola et al., 2017, section 4.5; Zhang et al., 2016 for the Lab framing).
The exported `generator` takes a grayscale image and returns an RGB image:
the Lab -> RGB conversion is part of the network.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.layers.lab_color import AB_SCALE, LabToRGB, lab_to_rgb, normalize_lab, rgb_to_lab
from keras_gan.losses import (
    check_gan_mode,
    gan_mode_discriminator_loss,
    gan_mode_generator_loss,
    mean_absolute_error,
)
from keras_gan.models.adversarial_model import AdversarialModel, deserialize_networks
from keras_gan.models.colorization.ab_gain import ABGain
from keras_gan.models.colorization.vgg_ab_generator import (
    SIZE_MULTIPLE,
    VGG_GENERATOR,
    build_vgg_ab_generator,
)
from keras_gan.models.image_translation.networks import (
    build_discriminator,
    build_generator,
    generator_size_multiple,
)
from keras_gan.models.image_translation.norms import check_norm
from keras_gan.models.image_translation.translation_model import interleave
from keras_gan.models.replica_random import num_replicas
from keras_gan.registry import register_family
from keras_gan.tasks.image_to_image import ImageToImage
from keras_gan.utils.tiling import pad_to_multiple

GENERATOR_TYPES = ("unet_128", "unet_256", VGG_GENERATOR)
GAN_MODES = ("vanilla", "lsgan")
RECONSTRUCTIONS = ("l1", "l2")
_MAX_PSNR_MSE = 1e-10  # PSNR is capped at 100 dB for identical images


def rgb_psnr(images, reference):
    """Per-image PSNR in dB of RGB `images` against `reference`, both in [-1, 1], on [0, 1].

    Args:
        images, reference: [N, H, W, C] tensors or arrays.

    Returns:
        A float32 tensor [N].
    """
    images = (tf.cast(images, tf.float32) + 1.0) * 0.5
    reference = (tf.cast(reference, tf.float32) + 1.0) * 0.5
    mse = tf.reduce_mean(tf.square(images - reference), axis=[1, 2, 3])
    return -10.0 * tf.math.log(tf.maximum(mse, _MAX_PSNR_MSE)) / tf.math.log(10.0)


def grayscale_rgb(rgb):
    """The photos with their L kept and a = b = 0, RGB in [-1, 1]: the colorization baseline.

    Args:
        rgb: [N, H, W, 3] or [H, W, 3] RGB in [-1, 1].
    """
    rgb = tf.clip_by_value(tf.cast(rgb, tf.float32), -1.0, 1.0)
    lab = rgb_to_lab((rgb + 1.0) * 0.5)
    return lab_to_rgb(lab * tf.constant([1.0, 0.0, 0.0])) * 2.0 - 1.0


def grayscale_baseline_psnr(rgb):
    """Per-image PSNR of the photos with a = b = 0 (their L kept) against the photos.

    What a colorizer that adds no colour scores: the bar a trained one must pass.

    Args:
        rgb: [N, H, W, 3] RGB in [-1, 1].

    Returns:
        A float32 tensor [N].
    """
    rgb = tf.clip_by_value(tf.cast(rgb, tf.float32), -1.0, 1.0)
    return rgb_psnr(grayscale_rgb(rgb), rgb)


def build_colorizer_generator(
    ab_generator: keras.Model, name: str = "colorizer", ab_gain: float = 1.0
) -> keras.Model:
    """Gray [N, H, W, 1] in [-1, 1] (L = (g + 1) * 50) -> RGB [N, H, W, 3] in [-1, 1].

    Wraps `ab_generator` (normalized L -> ab / 110), scales its ab by `ab_gain` and
    converts (L, ab) to RGB; the returned network shares `ab_generator`'s weights.
    """
    gray = keras.Input((None, None, 1), name="gray")
    ab = ABGain(ab_gain, name="ab_gain")(ab_generator(gray))
    lab = keras.layers.Concatenate(axis=-1, dtype="float32", name="lab")([gray, ab])
    rgb = LabToRGB(normalized=True, name="rgb")(lab)
    return keras.Model(gray, rgb, name=name)


@register_family("colorizer")
class Colorizer(ImageToImage, AdversarialModel):
    """Colorization as pix2pix on Lab: a U-Net maps L to ab, a PatchGAN judges (L, ab).

    The dataset yields RGB photos [N, H, W, 3] in [-1, 1] (or tuples whose first
    element is that). Each step converts them to Lab, scales L to [-1, 1]
    (`L / 50 - 1`) and ab by 1/110 (every in-gamut a, b lies within +-110, so a
    tanh output can reach them), and trains the U-Net with L1 on ab (weight
    `l1_weight`) plus the GAN term, the PatchGAN on `concat(L, ab)`.

    `generator` is the exported network: gray [N, H, W, 1] in [-1, 1] -> RGB in
    [-1, 1], sides multiples of `size_multiple`; `ab_generator` is the U-Net
    inside it that training updates.

    `evaluate` reports the losses, `psnr` of the colorized photos and
    `baseline_psnr` of their gray versions, and the metrics of
    `compile(metrics=[...])` updated with `(photos, colorized)`.

    Args:
        generator_type: `unet_128` or `unet_256` (pix2pix's), or `vgg16_half`: a frozen
            ImageNet VGG16 encoder and a small trained decoder (`vgg_ab_generator`).
        filters: generator filters of the first layer (`--ngf`); for `vgg16_half`, the
            decoder's.
        discriminator_filters: PatchGAN filters of the first layer (`--ndf`).
        norm: `batch`, `instance` or `none`, for both networks.
        dropout: dropout in the U-Net's inner blocks while training.
        gan_mode: `vanilla` or `lsgan`.
        l1_weight: weight of the reconstruction loss on the scaled ab (pix2pix's
            `lambda_L1`; it weighs the L2 loss when `reconstruction="l2"`).
        reconstruction: `l1` (pix2pix) or `l2`: the mean squared error, whose optimum
            is the conditional mean colour, the choice that maximises PSNR.
        gan_weight: weight of the GAN term in the generator's loss (pix2pix: 1); 0 trains
            the U-Net as a plain regression and skips the PatchGAN's updates.
        ab_gain: a factor on the predicted ab in `generator` (1: as trained). Smaller
            values pull the colours toward gray; `calibrate_ab_gain` chooses it on
            photos the U-Net did not train on.
        desaturate_fraction: share of training crops whose target ab are scaled by a
            factor drawn in [0, 1] (the same L with less colour, as real photos come):
            where the gray photo cannot tell, the model learns to add less colour.
        calibration_photos: training photos `keras-gan train` holds back (left out of
            the crops) to choose `ab_gain` after training (`finish_run`); 0: none.
        encoder_weights: `vgg16_half`'s encoder weights: `imagenet` (the local VGG16
            file) or a `.npz` path, read when the network is built (a `.keras` file brings
            the network with its weights instead).
        image_size: side of the training crops.
        seed: base seed of the model's random draws (kept in the config like the
            other families'; the vanilla and lsgan steps draw none).
        ab_generator, discriminator: networks to use instead of building them.
    """

    metrics_compare = "the photos and their colorized L channel"
    evaluation_kind = "colorization"
    held_out_metric = "psnr_rgb"
    tiny_config = dict(
        generator_type="unet_128", filters=2, discriminator_filters=2, image_size=128
    )
    # Full-int8 TFLite keeps the Lab -> RGB tail in float: one int8 scale for the `lab`
    # concatenation loses the colours, and XNNPACK runs the float conversion in the same
    # partition as the int8 U-Net (preset at 128^2: 0.80 ms, 49 dB; with the tail int8,
    # 1.17 ms in 5 partitions, 37 dB).
    int8_float_layers = ("lab", "rgb")

    def __init__(
        self,
        generator_type: str = "unet_256",
        filters: int = 64,
        discriminator_filters: int = 64,
        norm: str = "batch",
        dropout: bool = True,
        gan_mode: str = "vanilla",
        l1_weight: float = 100.0,
        reconstruction: str = "l1",
        gan_weight: float = 1.0,
        ab_gain: float = 1.0,
        desaturate_fraction: float = 0.0,
        calibration_photos: int = 0,
        encoder_weights: str | None = "imagenet",
        image_size: int = 256,
        seed: int = 0,
        ab_generator: keras.Model | None = None,
        discriminator: keras.Model | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if generator_type not in GENERATOR_TYPES:
            raise ValueError(
                f"Colorizer generator_type must be one of {GENERATOR_TYPES}. Received: "
                f"generator_type={generator_type!r}"
            )
        if check_gan_mode(gan_mode) not in GAN_MODES:
            raise ValueError(
                f"Colorizer supports gan_mode {GAN_MODES}. Received: gan_mode={gan_mode!r}"
            )
        self.generator_type = generator_type
        self.filters = int(filters)
        self.discriminator_filters = int(discriminator_filters)
        self.norm = check_norm(norm)
        self.dropout = bool(dropout)
        if reconstruction not in RECONSTRUCTIONS:
            raise ValueError(
                f"Colorizer reconstruction must be one of {RECONSTRUCTIONS}. Received: "
                f"reconstruction={reconstruction!r}"
            )
        if gan_weight < 0 or ab_gain < 0:
            raise ValueError(
                f"gan_weight and ab_gain must be >= 0. Received: {gan_weight=}, {ab_gain=}"
            )
        if not 0.0 <= desaturate_fraction <= 1.0:
            raise ValueError(
                f"desaturate_fraction must be in [0, 1]. Received: {desaturate_fraction=}"
            )
        self.desaturate_fraction = float(desaturate_fraction)
        if not isinstance(calibration_photos, int) or calibration_photos < 0:
            raise ValueError(
                f"calibration_photos must be an int >= 0. Received: {calibration_photos!r}"
            )
        self.calibration_photos = calibration_photos
        self.encoder_weights = encoder_weights
        self.gan_mode = gan_mode
        self.l1_weight = float(l1_weight)
        self.reconstruction = reconstruction
        self.gan_weight = float(gan_weight)
        self.image_size = int(image_size)
        self.seed = int(seed)
        if self.image_size % self.size_multiple:
            raise ValueError(
                f"image_size must be a multiple of {self.size_multiple} for {generator_type}. "
                f"Received: image_size={image_size}"
            )
        if ab_generator is not None:
            self.ab_generator = ab_generator
        elif generator_type == VGG_GENERATOR:
            self.ab_generator = build_vgg_ab_generator(self.filters, encoder_weights)
        else:
            self.ab_generator = build_generator(
                generator_type, 1, 2, self.filters, self.norm, self.dropout, name="ab_generator"
            )
        self.discriminator = discriminator or build_discriminator(
            "basic", 3, self.discriminator_filters, norm=self.norm
        )
        self.generator = build_colorizer_generator(self.ab_generator, ab_gain=float(ab_gain))
        self._eval_trackers = {
            name: keras.metrics.Mean(name=name) for name in ("psnr", "baseline_psnr")
        }
        self.built = True

    @property
    def size_multiple(self) -> int:
        """Input heights and widths must be multiples of this (2**downsamplings)."""
        if self.generator_type == VGG_GENERATOR:
            return SIZE_MULTIPLE
        return generator_size_multiple(self.generator_type)

    # ----------------------------------------------------------------- hooks
    @property
    def ab_gain(self) -> float:
        """The factor on the predicted ab (`calibrate_ab_gain` sets it)."""
        return self.generator.get_layer("ab_gain").gain

    @ab_gain.setter
    def ab_gain(self, value: float) -> None:
        if not value >= 0:
            raise ValueError(f"ab_gain must be >= 0. Received: {value}")
        self.generator.get_layer("ab_gain").gain = value

    def loss_names(self) -> list[str]:
        return ["d_loss", "g_loss", "g_gan", self.reconstruction]

    def generator_variables(self) -> list:
        return self.ab_generator.trainable_variables

    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables

    @property
    def sampling_generator(self) -> keras.Model:
        return self.generator

    def builtin_metrics(self) -> list:
        return list(self._trackers.values()) + list(self._eval_trackers.values())

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    # ----------------------------------------------------------------- steps
    def _photos(self, data):
        """RGB float32 [N, H, W, 3] in [-1, 1] from a batch, with errors that name the problem."""
        images = data[0] if isinstance(data, (tuple, list)) else data
        if not hasattr(images, "shape"):
            raise ValueError(
                "Colorizer trains on batches of RGB images [N, H, W, 3] (or tuples whose first "
                f"element is that). Received: {type(images).__name__}"
            )
        if images.shape.rank != 4:
            raise ValueError(
                f"Colorizer expects RGB images of rank 4 [N, H, W, 3]. Received: "
                f"shape={images.shape}"
            )
        if images.shape[-1] is not None and images.shape[-1] != 3:
            raise ValueError(
                f"Colorizer expects RGB images with 3 channels. Received: shape={images.shape}"
            )
        if images.shape[-1] is None:
            tf.debugging.assert_equal(
                tf.shape(images)[-1], 3, message="Colorizer expects RGB images with 3 channels"
            )
        return tf.clip_by_value(tf.cast(images, tf.float32), -1.0, 1.0)

    def _lightness_and_ab(self, rgb):
        """Normalized L [N, H, W, 1] and ab / 110 [N, H, W, 2] of RGB in [-1, 1]."""
        lab = normalize_lab(rgb_to_lab((rgb + 1.0) * 0.5))
        return lab[..., :1], lab[..., 1:]

    def _judge(self, lightness, ab, training):
        return self.discriminator(tf.concat([lightness, ab], axis=-1), training=training)

    def _discriminator_loss(self, lightness, ab, fake_ab, training):
        real_logits = self._judge(lightness, ab, training)
        fake_logits = self._judge(lightness, fake_ab, training)
        return gan_mode_discriminator_loss(real_logits, fake_logits, self.gan_mode)

    def _generator_loss(self, lightness, ab, fake_ab, training):
        if self.reconstruction == "l2":
            error = tf.reduce_mean(tf.square(ab - fake_ab))
        else:
            error = mean_absolute_error(ab, fake_ab)
        loss = self.l1_weight * error
        if self.gan_weight > 0:
            g_gan = gan_mode_generator_loss(
                self._judge(lightness, fake_ab, training), self.gan_mode
            )
            loss += self.gan_weight * g_gan
        else:
            g_gan = tf.zeros(())
        return loss, {"g_gan": g_gan, self.reconstruction: error}

    def _desaturate(self, ab):
        """`ab` with `desaturate_fraction` of the crops scaled by a factor in [0, 1]."""
        if self.desaturate_fraction <= 0:
            return ab
        shape = tf.stack([tf.shape(ab)[0], 1, 1, 1])
        picked = tf.random.uniform(shape) < self.desaturate_fraction
        return ab * tf.where(picked, tf.random.uniform(shape), 1.0)

    def train_step(self, data):
        lightness, ab = self._lightness_and_ab(self._photos(data))
        ab = self._desaturate(ab)
        replicas = num_replicas()
        # As pix2pix: one generator pass, a discriminator update on the detached
        # fakes, then the generator update against the updated discriminator.
        with tf.GradientTape() as g_tape:
            fake_ab = tf.cast(self.ab_generator(lightness, training=True), tf.float32)
            if self.gan_weight > 0:
                with tf.GradientTape() as d_tape:
                    fakes = tf.stop_gradient(fake_ab)
                    d_loss = self._discriminator_loss(lightness, ab, fakes, True)
                    d_scaled = self.d_optimizer.scale_loss(d_loss / replicas)
                self._apply(self.d_optimizer, d_scaled, d_tape, self.discriminator_variables())
            else:
                d_loss = tf.zeros(())
            g_loss, g_terms = self._generator_loss(lightness, ab, fake_ab, True)
            g_scaled = self.g_optimizer.scale_loss(g_loss / replicas)
        self._apply(self.g_optimizer, g_scaled, g_tape, self.generator_variables())
        return self._record({"d_loss": d_loss, "g_loss": g_loss, **g_terms})

    def test_step(self, data):
        rgb = self._photos(data)
        lightness, ab = self._lightness_and_ab(rgb)
        fake_ab = tf.cast(self.ab_generator(lightness, training=False), tf.float32)
        fake_ab = self.generator.get_layer("ab_gain")(fake_ab)
        if self.gan_weight > 0:
            d_loss = self._discriminator_loss(lightness, ab, fake_ab, False)
        else:
            d_loss = tf.zeros(())
        g_loss, g_terms = self._generator_loss(lightness, ab, fake_ab, False)
        logs = self._record({"d_loss": d_loss, "g_loss": g_loss, **g_terms})
        colorized = lab_to_rgb(tf.concat([(lightness + 1.0) * 50.0, fake_ab * AB_SCALE], axis=-1))
        evaluation = {
            "psnr": tf.reduce_mean(rgb_psnr(colorized * 2.0 - 1.0, rgb)),
            "baseline_psnr": tf.reduce_mean(grayscale_baseline_psnr(rgb)),
        }
        for name, value in evaluation.items():
            self._eval_trackers[name].update_state(value)
        logs.update({name: t.result() for name, t in self._eval_trackers.items()})
        return {**logs, **self._measure_quality(rgb, colorized * 2.0 - 1.0)}

    # ------------------------------------------------------------- inference
    def colorize(self, images, batch_size: int = 1) -> np.ndarray:
        """Alias of `predict_images`."""
        return self.predict_images(images, batch_size=batch_size)

    def predict_images(self, images, batch_size: int = 1) -> np.ndarray:
        """Colours grayscale images (NumPy); returns RGB float32 in [-1, 1].

        Any height and width: images are padded by reflection to `size_multiple`
        and the output cropped back.

        Args:
            images: gray [N, H, W, 1] or [H, W, 1] in [-1, 1] (read as
                L = (g + 1) * 50), or RGB [N, H, W, 3] or [H, W, 3] in [-1, 1],
                whose L is used.
            batch_size: images per forward pass.

        Returns:
            [N, H, W, 3] (or [H, W, 3] for a single image).
        """
        images = np.asarray(images, dtype="float32")
        single = images.ndim == 3
        if single:
            images = images[None]
        if images.ndim != 4 or images.shape[-1] not in (1, 3):
            raise ValueError(
                "colorize expects gray [N, H, W, 1] / [H, W, 1] or RGB [N, H, W, 3] / "
                f"[H, W, 3] images. Received: shape={np.shape(images)}"
            )
        if images.shape[-1] == 3:
            rgb = np.clip(images, -1.0, 1.0)
            images = np.asarray(normalize_lab(rgb_to_lab((rgb + 1.0) * 0.5)))[..., :1]
        padded, (h, w) = pad_to_multiple(images, self.size_multiple)
        outputs = self.generator.predict(padded, batch_size=batch_size, verbose=0)
        outputs = np.asarray(outputs, dtype="float32")[:, :h, :w]
        return outputs[0] if single else outputs

    def run_data(self, data: str, config):
        from keras_gan.models.colorization.colorizer_run import photo_run_data

        return photo_run_data(self, data, config, self.image_size)

    def calibrate_ab_gain(self, photos) -> dict:
        """Chooses `ab_gain` (0 to 1.5) for the best mean RGB PSNR on `photos`, RGB in
        [-1, 1] that the model did not train on; returns the table it chose from."""
        from keras_gan.models.colorization.colorizer_run import calibrate_ab_gain

        return calibrate_ab_gain(self, photos)

    def finish_run(self, run_data) -> dict | None:
        """After `keras-gan train`: `calibrate_ab_gain` on the photos the run held back."""
        if not run_data.calibration:
            return None
        return {"calibration": self.calibrate_ab_gain(run_data.calibration)}

    def held_out_scores(self, held_out, batch_size: int = 4) -> dict:
        from keras_gan.models.colorization.colorizer_run import colorizer_held_out_scores

        return colorizer_held_out_scores(self, held_out)

    def baseline(self, inputs) -> np.ndarray:
        """The photos with no colour added (their own L, a = b = 0), RGB in [-1, 1]."""
        return np.asarray(grayscale_rgb(np.asarray(inputs, "float32")), "float32")

    def sample_rows(self, images, targets=None) -> np.ndarray:
        """gray input | colorized | original per RGB photo, for a sample sheet.

        `targets` is ignored (a `TranslationGrid` passes the photos twice).
        """
        images = np.asarray(images, dtype="float32")
        colorized = self.colorize(images)
        gray = np.asarray(normalize_lab(rgb_to_lab((np.clip(images, -1, 1) + 1.0) * 0.5)))
        return interleave(gray[..., :1], colorized, images)

    # --------------------------------------------------------- serialization
    network_keys = ("ab_generator", "discriminator")

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator_type": self.generator_type,
            "filters": self.filters,
            "discriminator_filters": self.discriminator_filters,
            "norm": self.norm,
            "dropout": self.dropout,
            "gan_mode": self.gan_mode,
            "l1_weight": self.l1_weight,
            "reconstruction": self.reconstruction,
            "gan_weight": self.gan_weight,
            "ab_gain": self.ab_gain,
            "desaturate_fraction": self.desaturate_fraction,
            "calibration_photos": self.calibration_photos,
            "encoder_weights": self.encoder_weights,
            "image_size": self.image_size,
            "seed": self.seed,
            **{key: keras.layers.serialize(getattr(self, key)) for key in self.network_keys},
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, cls.network_keys))
