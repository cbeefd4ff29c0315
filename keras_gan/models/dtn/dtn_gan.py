"""The Domain Transfer Network (Taigman, Polyak, Wolf, ICLR 2017): G = g o f, f fixed.

Usage::

    import keras_gan as kg

    # f: any Keras model trained on the source domain (a classifier trunk); frozen here.
    model = kg.models.DTN(f=my_trunk, image_size=32, channels_a=3, channels_b=1)
    model.compile()
    model.fit(tf.data.Dataset.zip((source_batches, target_batches)), epochs=...)
    digits = model.translate(source_images)          # [N, 32, 32, 1] in [-1, 1]

The paper's digits experiment, offline (printed font digits -> scikit-learn's handwritten
digits; f trained on the source first, judged by a classifier that saw only the target):

    keras-gan make-data digits --out data/digits
    keras-gan train dtn --data data/digits --out runs/dtn --epochs 1 --steps 2000 \
        --batch-size 100

`run.json` reports `judge_accuracy`: the share of G(held-out source digits) that the
target-only judge classifies as the source digit's label (the paper: 90.66 % SVHN ->
MNIST); `baseline` (and the `before` entry) is an untrained g's. Measured on 2 shared CPU
cores with half-width networks (`--epochs 4 --steps 200 --batch-size 64 --model-arg
g_filters=64 --model-arg d_filters=64 --model-arg f_pretrain_steps=1500`, 11.5 min in
all): judge accuracy 0.917 on 2000 digits of 110 held-out typefaces (untrained g: 0.107;
f itself reads 0.966 of them; the judge reads 0.997 of held-out handwritten digits). The
source here is cleaner than SVHN and the target is scikit-learn's 8x8 digits, not MNIST,
so the figure sits beside the paper's rather than reproducing it (docs/dtn_digits.jpg).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from keras_gan.models.adversarial_model import AdversarialModel, deserialize_networks
from keras_gan.models.dtn import dtn_losses as losses
from keras_gan.models.dtn.dtn_networks import (
    build_content_extractor,
    build_discriminator,
    build_generator,
    check_image_size,
)
from keras_gan.models.replica_random import num_replicas
from keras_gan.registry import register_family
from keras_gan.tasks import ImageToImage

_OPTIONS = (
    "image_size", "channels_a", "channels_b", "embedding_dim", "f_filters", "g_filters",
    "d_filters", "alpha", "beta", "gamma", "f_pretrain_steps", "seed",
)  # fmt: skip


def convert_channels(images, channels: int):
    """[N, H, W, C] with C in (1, 3) -> `channels` (gray tiled to RGB, RGB to luminance)."""
    have = images.shape[-1]
    if have == channels:
        return images
    if have == 1 and channels == 3:
        return tf.repeat(images, 3, axis=-1)
    if have == 3 and channels == 1:
        weights = tf.constant([0.299, 0.587, 0.114], images.dtype)
        return tf.reduce_sum(images * weights, axis=-1, keepdims=True)
    raise ValueError(f"Cannot convert {have}-channel images to {channels} channels.")


@register_family("dtn")
class DTN(ImageToImage, AdversarialModel):
    """Domain Transfer Network: a fixed f, G = g o f, a 3-way discriminator.

    Losses (the paper's eqs. 3-7): D classifies G(source), G(target) and real target
    images (L_D, 3-way cross-entropy); G makes D call both kinds of output real target
    (L_GANG), keeps f constant on source images (L_CONST = alpha * MSE(f(x), f(G(x)))),
    maps target images to themselves (L_TID = beta * MSE(x, G(x))) and is smooth
    (gamma * total variation of G(source)). Defaults are the paper's digits values
    alpha = beta = 15, gamma = 0 (as yunjey/domain-transfer-network's 15.0 weights); the
    faces experiment used alpha 100, beta 1, gamma 0.05. Adam(3e-4) for both sides as
    the reimplementation; one D step then one G step per batch of `(source, target)`.

    Where we differ from yunjey/domain-transfer-network: f stays fixed and runs in
    inference mode (the paper; the reimplementation keeps updating f with the constancy
    loss and runs its batch norm in training mode), D has the paper's single 3-way head,
    and each batch takes one G step (the reimplementation takes six per source batch).

    Args:
        image_size: side of both domains' images (multiple of 8; 32 for digits).
        channels_a, channels_b: channels of the source and the target domain. f and D
            take their own channels; target images given to f are converted (gray tiled
            to RGB, as the reimplementation's `grayscale_to_rgb`).
        embedding_dim, f_filters: the built f (used when `f` is not given).
        g_filters, d_filters: width of g's last and D's first block.
        alpha, beta, gamma: the weights of L_CONST, L_TID and total variation.
        f_pretrain_steps: steps `keras-gan train` trains our f on the source training
            split (with a 1x1 classifier head) before the DTN; the reimplementation
            pretrains 20000 steps of batch 100.
        seed: seed of f's pretraining and of the held-out judge.
        f: a pretrained Keras model (a classifier trunk) to use as f; frozen.
        g, discriminator: networks to use instead of building them.
    """

    evaluation_kind = "unpaired"
    held_out_metric = "judge_accuracy"
    data_help = (
        "an unpaired folder with a sub-folder per digit: trainA/<d>/ trainB/<d>/ (held out: "
        "testA/ testB/): `keras-gan make-data digits`"
    )
    tiny_config = dict(image_size=32, embedding_dim=8, f_filters=4, g_filters=4, d_filters=4)

    def __init__(
        self,
        image_size: int = 32,
        channels_a: int = 3,
        channels_b: int = 1,
        embedding_dim: int = 128,
        f_filters: int = 64,
        g_filters: int = 128,
        d_filters: int = 128,
        alpha: float = 15.0,
        beta: float = 15.0,
        gamma: float = 0.0,
        f_pretrain_steps: int = 2000,
        seed: int = 0,
        f: keras.Model | None = None,
        g: keras.Model | None = None,
        discriminator: keras.Model | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.image_size = check_image_size(image_size)
        for name, value in (("channels_a", channels_a), ("channels_b", channels_b)):
            if int(value) not in (1, 3):
                raise ValueError(f"{name} must be 1 or 3. Received: {name}={value!r}")
        if min(alpha, beta, gamma) < 0:
            raise ValueError(f"alpha, beta, gamma must be >= 0. Received: {alpha}, {beta}, {gamma}")
        self.channels_a, self.channels_b = int(channels_a), int(channels_b)
        self.embedding_dim, self.f_filters = int(embedding_dim), int(f_filters)
        self.g_filters, self.d_filters = int(g_filters), int(d_filters)
        self.alpha, self.beta, self.gamma = float(alpha), float(beta), float(gamma)
        self.f_pretrain_steps, self.seed = int(f_pretrain_steps), int(seed)
        self.f = f or build_content_extractor(
            self.image_size, self.channels_a, self.f_filters, self.embedding_dim
        )
        self._check_f(self.f)
        self.f.trainable = False
        self.g = g or build_generator(
            tuple(self.f.output.shape[1:]), self.image_size, self.channels_b, self.g_filters
        )
        self.discriminator = discriminator or build_discriminator(
            self.image_size, self.channels_b, self.d_filters
        )
        images = keras.Input((None, None, self.channels_a), name="images")
        resized = keras.layers.Resizing(self.image_size, self.image_size, name="resize")(images)
        # G for inference and export (training=False: batch norm always on its moving
        # statistics, which an ONNX trace through the resize otherwise does not keep).
        embedding = self.f(resized, training=False)
        self.generator = keras.Model(images, self.g(embedding, training=False), name="generator")
        self.built = True

    def _check_f(self, f) -> None:
        shape = tuple(f.inputs[0].shape[1:]) if isinstance(f, keras.Model) else None
        if shape is None or len(shape) != 3:
            raise ValueError(f"f must be a Keras model taking images [N, H, W, C]. Received: {f!r}")
        if shape[-1] != self.channels_a:
            raise ValueError(
                f"f takes {shape[-1]}-channel images but the source has channels_a="
                f"{self.channels_a}."
            )
        if any(side not in (None, self.image_size) for side in shape[:2]):
            raise ValueError(
                f"f takes {shape[:2]} images; the model's image_size is {self.image_size}."
            )

    # ------------------------------------------------------------- inference
    @property
    def sampling_generator(self) -> keras.Model:
        return self.generator

    @property
    def sample_columns(self) -> int:
        return 4

    def embed(self, images) -> tf.Tensor:
        """f of images of either domain (converted to f's channels)."""
        return self.f(convert_channels(images, self.channels_a), training=False)

    def predict_images(self, images, batch_size: int = 64) -> np.ndarray:
        """G(images): source images [N, H, W, channels_a] in [-1, 1] -> float32 target images
        [N, image_size, image_size, channels_b] (other sides are resized first, area)."""
        images = np.asarray(images, "float32")
        images = images[None] if images.ndim == 3 else images
        if images.ndim != 4 or images.shape[-1] != self.channels_a:
            raise ValueError(
                f"images must be [N, H, W, {self.channels_a}]. Received: shape {images.shape}"
            )
        if images.shape[1:3] != (self.image_size, self.image_size):
            images = tf.image.resize(images, (self.image_size,) * 2, "area").numpy()
        return np.asarray(self.generator.predict(images, batch_size, verbose=0), "float32")

    def translate(self, source_images, batch_size: int = 64) -> np.ndarray:
        """Alias of `predict_images`."""
        return self.predict_images(source_images, batch_size)

    def sample_rows(self, source, target) -> np.ndarray:
        """Per example: source | G(source) | target | G(target), as RGB."""
        from keras_gan.models.image_translation.translation_model import interleave

        source, target = np.asarray(source, "float32"), np.asarray(target, "float32")
        n = min(len(source), len(target))
        source, target = source[:n], target[:n]
        identity = self.g.predict(self.embed(target), verbose=0)
        return interleave(source, self.predict_images(source), target, identity)

    def prediction_sheet(self, image: np.ndarray) -> np.ndarray:
        """`keras-gan predict`: one uint8 image -> its translation, uint8 [S, S, channels_b]."""
        from keras_gan.prediction import to_channels

        image = np.asarray(image)
        if image.shape[-1] != self.channels_a:
            image = to_channels(image, self.channels_a)
        out = self.predict_images(image.astype("float32")[None] / 127.5 - 1.0)[0]
        return np.clip(np.round((out + 1.0) * 127.5), 0, 255).astype(np.uint8)

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    # ----------------------------------------------------------------- steps
    def loss_names(self) -> list[str]:
        return ["d_loss", "g_loss", "g_gan", "g_const", "g_tid", "g_tv"]

    def generator_variables(self) -> list:
        return self.g.trainable_variables

    def discriminator_variables(self) -> list:
        return self.discriminator.trainable_variables

    @classmethod
    def default_optimizers(cls):
        return keras.optimizers.Adam(3e-4), keras.optimizers.Adam(3e-4)

    def _batch(self, data):
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ValueError(f"DTN trains on batches of (source, target); got {data!r:.80}.")
        batch = []
        for images, channels, name in zip(
            data, (self.channels_a, self.channels_b), ("source", "target"), strict=True
        ):
            images = tf.cast(images, tf.float32)
            side = self.image_size
            if images.shape.rank != 4 or tuple(images.shape[1:]) != (side, side, channels):
                raise ValueError(
                    f"DTN's {name} images must be [N, {side}, {side}, {channels}]. "
                    f"Received: shape {images.shape}"
                )
            batch.append(images)
        return batch

    def _discriminator_loss(self, source_fake, target_fake, target, training):
        return losses.three_way_discriminator_loss(
            self.discriminator(source_fake, training=training),
            self.discriminator(target_fake, training=training),
            self.discriminator(target, training=training),
        )

    def _generator_losses(self, f_source, f_target, target, training):
        source_fake = tf.cast(self.g(f_source, training=training), tf.float32)
        target_fake = tf.cast(self.g(f_target, training=training), tf.float32)
        terms = {
            "g_gan": losses.three_way_generator_loss(
                self.discriminator(source_fake, training=training),
                self.discriminator(target_fake, training=training),
            ),
            "g_const": losses.mean_squared_distance(f_source, self.embed(source_fake)),
            "g_tid": losses.mean_squared_distance(target, target_fake),
            "g_tv": losses.isotropic_total_variation(source_fake)
            if self.gamma
            else tf.constant(0.0),
        }
        loss = terms["g_gan"] + self.alpha * terms["g_const"] + self.beta * terms["g_tid"]
        return loss + self.gamma * terms["g_tv"], terms

    def train_step(self, data):
        source, target = self._batch(data)
        replicas = num_replicas()
        f_source, f_target = self.embed(source), self.embed(target)
        source_fake = tf.stop_gradient(self.g(f_source, training=True))
        target_fake = tf.stop_gradient(self.g(f_target, training=True))
        with tf.GradientTape() as tape:
            d_loss = self._discriminator_loss(source_fake, target_fake, target, True)
            scaled = self.d_optimizer.scale_loss(d_loss / replicas)
        self._apply(self.d_optimizer, scaled, tape, self.discriminator_variables())
        with tf.GradientTape() as tape:
            g_loss, terms = self._generator_losses(f_source, f_target, target, True)
            scaled = self.g_optimizer.scale_loss(g_loss / replicas)
        self._apply(self.g_optimizer, scaled, tape, self.generator_variables())
        return self._record({"d_loss": d_loss, "g_loss": g_loss, **terms})

    def test_step(self, data):
        source, target = self._batch(data)
        f_source, f_target = self.embed(source), self.embed(target)
        g_loss, terms = self._generator_losses(f_source, f_target, target, False)
        source_fake = self.g(f_source, training=False)
        target_fake = self.g(f_target, training=False)
        d_loss = self._discriminator_loss(source_fake, target_fake, target, False)
        return self._record({"d_loss": d_loss, "g_loss": g_loss, **terms})

    # ---------------------------------------------------------------- runs
    @classmethod
    def run_model_kwargs(cls, data: str, config) -> dict:
        from keras_gan.models.dtn.dtn_run import run_model_kwargs

        return run_model_kwargs(cls, data, config)

    def run_data(self, data: str, config):
        from keras_gan.models.dtn.dtn_run import run_data

        return run_data(self, data, config)

    def run_compile(self, config, steps_per_epoch: int) -> None:
        rate = config.learning_rate or 3e-4
        optimizers = [keras.optimizers.Adam(rate) for _ in range(2)]
        self.compile(*optimizers, jit_compile=config.jit_compile)

    def held_out_scores(self, held_out, batch_size: int = 64) -> dict:
        from keras_gan.models.dtn.dtn_run import held_out_scores

        return held_out_scores(self, held_out, batch_size)

    # --------------------------------------------------------- serialization
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            **{key: getattr(self, key) for key in _OPTIONS},
            "f": keras.layers.serialize(self.f),
            "g": keras.layers.serialize(self.g),
            "discriminator": keras.layers.serialize(self.discriminator),
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, ("f", "g", "discriminator")))
