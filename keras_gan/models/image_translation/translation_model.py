"""What Pix2Pix and CycleGAN share: batches of image pairs, the reference's data options, translate."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.losses import check_gan_mode
from keras_gan.models.adversarial_model import AdversarialModel, deserialize_networks
from keras_gan.models.image_translation.networks import generator_size_multiple
from keras_gan.models.image_translation.norms import check_norm
from keras_gan.tasks.image_to_image import ImageToImage

# The options every image-to-image family takes and saves in its config.
SHARED_OPTIONS = (
    "generator_type",
    "discriminator_type",
    "filters",
    "discriminator_filters",
    "num_discriminator_layers",
    "norm",
    "dropout",
    "gan_mode",
    "image_size",
    "load_size",
    "seed",
)


def as_rgb(images: np.ndarray) -> np.ndarray:
    """Grayscale images repeated to three channels, so rows of mixed images line up."""
    images = np.asarray(images, "float32")
    return np.repeat(images, 3, axis=-1) if images.shape[-1] == 1 else images


def interleave(*columns: np.ndarray) -> np.ndarray:
    """[N, ...] arrays -> one array with row i = (columns[0][i], columns[1][i], ...)."""
    return np.stack([as_rgb(c) for c in columns], axis=1).reshape(
        (-1, *as_rgb(columns[0]).shape[1:])
    )


class ImageTranslationModel(ImageToImage, AdversarialModel):
    """An adversarial model trained on batches `(images_a, images_b)` in [-1, 1].

    Args:
        generator_type, discriminator_type: reference network names
            (`--netG`, `--netD`).
        filters, discriminator_filters: first-layer filters (`--ngf`, `--ndf`).
        num_discriminator_layers: layers of an `n_layers` discriminator.
        norm: `batch`, `instance` or `none`, for every network.
        dropout: dropout in the generators.
        gan_mode: `vanilla`, `lsgan` or `wgangp`.
        image_size: side of the training crops (the reference's `--crop_size`).
        load_size: side images are resized to before cropping (`--load_size`).
        seed: base seed of the model's random draws.
    """

    network_keys: tuple[str, ...] = ()
    # The constructor arguments `--channels` sets.
    channel_options: tuple[str, ...] = ()

    def __init__(
        self,
        generator_type: str,
        discriminator_type: str,
        filters: int,
        discriminator_filters: int,
        num_discriminator_layers: int,
        norm: str,
        dropout: bool,
        gan_mode: str,
        image_size: int,
        load_size: int,
        seed: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(load_size) < int(image_size):
            raise ValueError(f"load_size ({load_size}) must be at least image_size ({image_size}).")
        self.generator_type = generator_type
        self.discriminator_type = discriminator_type
        self.filters = int(filters)
        self.discriminator_filters = int(discriminator_filters)
        self.num_discriminator_layers = int(num_discriminator_layers)
        self.norm = check_norm(norm)
        self.dropout = bool(dropout)
        self.gan_mode = check_gan_mode(gan_mode)
        self.image_size = int(image_size)
        self.load_size = int(load_size)
        self.seed = int(seed)
        self._check_size(generator_type)

    # ---------------------------------------------------------------- runs
    @classmethod
    def run_model_kwargs(cls, data: str, config) -> dict:
        kwargs = {"seed": config.seed}
        if config.image_size is not None:
            kwargs["image_size"] = config.image_size
            kwargs["load_size"] = max(config.image_size, round(config.image_size * 286 / 256))
        if config.channels is not None:
            kwargs.update(dict.fromkeys(cls.channel_options, config.channels))
        return kwargs

    def run_compile(self, config, steps_per_epoch: int) -> None:
        """Adam(2e-4, 0.5) on the reference's linear schedule (`n_epochs`, `n_epochs_decay`)."""
        from keras_gan.models.image_translation.translation_run import linear_decay_optimizers

        optimizers = linear_decay_optimizers(
            steps_per_epoch,
            config.epochs,
            config.n_epochs,
            config.n_epochs_decay,
            learning_rate=config.learning_rate or 2e-4,
        )
        self.compile(*optimizers, jit_compile=config.jit_compile)

    def network_options(self) -> tuple[dict, dict]:
        """Keyword arguments of `build_generator` and `build_discriminator`."""
        return (
            dict(filters=self.filters, norm=self.norm, dropout=self.dropout),
            dict(
                filters=self.discriminator_filters,
                num_layers=self.num_discriminator_layers,
                norm=self.norm,
            ),
        )

    def family_config(self) -> dict:
        """The options a family adds to `SHARED_OPTIONS` in its config."""
        return {}

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            **{key: getattr(self, key) for key in SHARED_OPTIONS},
            **self.family_config(),
            **{key: keras.layers.serialize(getattr(self, key)) for key in self.network_keys},
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, cls.network_keys))

    @property
    def size_multiple(self) -> int:
        """Input sides the generator accepts are multiples of this."""
        return generator_size_multiple(self.generator_type)

    def _seed(self, offset, counter):
        base = tf.cast(self.seed * 1000 + offset, tf.int64)
        return tf.stack([base, tf.cast(counter, tf.int64)])

    def _check_size(self, generator_type: str, size: int | None = None):
        multiple = generator_size_multiple(generator_type)
        size = self.image_size if size is None else size
        if size % multiple:
            raise ValueError(
                f"image_size {size} does not suit {generator_type}: it must be a multiple "
                f"of {multiple}."
            )

    @staticmethod
    def _unpack_pair(data, channels: tuple[int, int], model_name: str):
        """`(a, b)` float32 from a batch, with errors that name the problem."""
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ValueError(
                f"{model_name} trains on batches of (images_a, images_b); the dataset yields "
                f"{type(data).__name__}."
            )
        pair = []
        for side, images, expected in zip("ab", data, channels, strict=True):
            if images.shape.rank != 4:
                raise ValueError(
                    f"images_{side} must have rank 4 [N, H, W, C]; got shape {images.shape}."
                )
            if images.shape[-1] is not None and images.shape[-1] != expected:
                raise ValueError(
                    f"images_{side} have {images.shape[-1]} channels; {model_name} expects "
                    f"{expected}."
                )
            if images.shape[-1] is None:
                # Keras may relax the traced shapes: check when the batch runs.
                tf.debugging.assert_equal(
                    tf.shape(images)[-1],
                    expected,
                    message=f"images_{side} do not have the {expected} channels {model_name} "
                    "expects",
                )
            pair.append(tf.cast(images, tf.float32))
        return pair

    def translate(self, images, batch_size: int = 1, **kwargs) -> np.ndarray:
        """Alias of `predict_images`."""
        return self.predict_images(images, batch_size=batch_size, **kwargs)

    def predict_images(self, images, batch_size: int = 1, **kwargs) -> np.ndarray:
        """Translates images [N, H, W, C] in [-1, 1] (NumPy); returns float32 in [-1, 1]."""
        images = np.asarray(images)
        if images.ndim == 3:
            images = images[None]
        if images.ndim != 4:
            raise ValueError(f"images must be [N, H, W, C] or [H, W, C]; got {images.shape}.")
        network = self.translation_network(**kwargs)
        expected = network.input_shape[-1]
        if images.shape[-1] != expected:
            raise ValueError(f"images have {images.shape[-1]} channels; expected {expected}.")
        outputs = network.predict(images.astype("float32"), batch_size=batch_size, verbose=0)
        return np.asarray(outputs, dtype="float32")

    def sample_rows(self, images_a, images_b) -> np.ndarray:
        """Rows of three RGB images for a sample sheet, [3 * rows, H, W, 3] in [-1, 1]."""
        raise NotImplementedError

    def translation_network(self, **kwargs):
        return self.sampling_generator

    def call(self, inputs, training=False):
        return self.sampling_generator(inputs, training=training)
