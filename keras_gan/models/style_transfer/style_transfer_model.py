"""Fast neural style transfer (Johnson et al., 2016), one or several styles per network.

A feed-forward image transformation network is trained to minimise perceptual
losses measured by a frozen VGG16: a feature reconstruction (content) loss
against the input photo, a style loss against the Gram matrices of the style
image(s), and a total variation term. With `num_styles > 1` the network uses
conditional instance normalization (Dumoulin et al., 2017) and each training
image is rendered in a style drawn at random.

Not adversarial: one network, one optimizer.
"""

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from keras_gan.losses.perceptual import (
    feature_reconstruction_loss,
    gram_matrix,
    style_loss,
    total_variation_loss,
)
from keras_gan.models.adversarial_model import deserialize_networks, spans_workers
from keras_gan.models.image_translation.translation_model import interleave
from keras_gan.models.replica_random import num_replicas, replica_integers
from keras_gan.models.style_transfer.style_images import (
    check_images,
    pad_for_network,
    resize_short_side,
    split_training_batch,
    style_array,
)
from keras_gan.models.style_transfer.transform_network import (
    MIN_SIDE,
    NORMALIZATIONS,
    SIZE_MULTIPLE,
    build_transform_network,
)
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import vgg_conv_layers
from keras_gan.registry import register_family
from keras_gan.tasks.image_to_image import ImageToImage

# Johnson et al.: style at relu1_2, relu2_2, relu3_3, relu4_3 of VGG16.
STYLE_LAYERS = ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3")
LOSS_NAMES = ("loss", "content", "style", "tv")
# The constructor's arguments that get_config returns as they are.
_OPTIONS = (
    "filters",
    "num_residual_blocks",
    "num_styles",
    "normalization",
    "content_layer",
    "content_weight",
    "style_weight",
    "tv_weight",
    "perceptual_weights",
    "image_size",
    "style_size",
    "seed",
)
_VGG_CHANNELS = {name: out for name, _, out in vgg_conv_layers("vgg16")}
_SEED_STYLES, _SEED_EVAL = 0, 1


def _check_layer(name: str, argument: str) -> str:
    if name not in _VGG_CHANNELS:
        raise ValueError(
            f"{argument} must name VGG16 convolutions ({sorted(_VGG_CHANNELS)}). "
            f"Received: {argument}={name!r}"
        )
    return name


@register_family("style_transfer")
class StyleTransfer(ImageToImage, keras.Model):
    """An image transformation network trained with perceptual losses to render style(s).

    ```python
    model = StyleTransfer()
    model.set_style_images([load_style_image("starry_night.jpg")])
    model.compile()  # Adam(1e-3), as Johnson et al.
    model.fit(photos, epochs=2, batch_size=4)  # float32 [N, 256, 256, 3] in [-1, 1]
    stylized = model.stylize(photo)  # any size
    ```

    Losses (the keys `fit` and `evaluate` report, each weighted): `content`,
    the mean squared difference of VGG16 features at `content_layer` between
    output and photo; `style`, the sum over `style_layers` of the mean squared
    difference between the output's Gram matrices (divided by H*W*C) and the
    style image's; `tv`, the mean absolute difference of neighbouring output
    pixels; `loss`, their sum.

    Default weights: our VGG16 takes torchvision's input normalization, as in
    the PyTorch port of Johnson's method, whose weights for exactly these
    Gram and mean-squared normalizations (content 1e5 at relu2_2, style 1e10)
    we keep as the ratio `style_weight / content_weight = 1e5`. (Johnson's
    Torch code fed Caffe's 0-255 scale, where features are ~60x larger, hence
    its content 1 / style 5.) `tv_weight=0.2`: Johnson's `tv_strength=1e-6`
    acts on squared differences of 0-255 pixels, ours on absolute differences
    of [-1, 1] pixels; on photos with our VGG16, TV/content gradient ratios
    equal to Johnson's need 0.1-0.4 (a light smoothness term). The content
    layer is the paper's relu2_2 (`block2_conv2`), which keeps the photo's
    fine structure; Johnson's released code later used relu3_3
    (`block3_conv3`), which lets the style reshape more.

    `set_style_images` stores the style images' Gram matrices as
    non-trainable weights, so a `.keras` file keeps its styles. The VGG16 is
    created when first needed (`set_style_images`, `fit`, `evaluate`) and is
    never saved.

    Training data: photos float32 `[N, H, W, 3]` in [-1, 1], H and W multiples
    of 4, or tuples whose first element is that. With several styles, a second
    tuple element of integer style indices `[N]` picks each photo's style;
    otherwise each photo gets a style drawn from `seed` and the step counter.

    Args:
        filters: filters of the transform network's first convolution (Johnson: 32).
        num_residual_blocks: residual blocks of the transform network (Johnson: 5).
        num_styles: styles the network learns (conditional instance norm when > 1).
        normalization: the transform network's `"instance"` normalization, or
            `"batch"` (Johnson's; one style only): moving statistics at inference,
            which the TFLite converter folds into the convolutions, so full-int8
            exports are plain convolutions and run faster than float32.
        content_layer: VGG16 layer (`block{b}_conv{c}`, after ReLU) of the content loss.
        style_layers: VGG16 layers of the style loss.
        content_weight, style_weight, tv_weight: loss weights (see above).
        perceptual_weights: VGG16 weights: `"imagenet"` (the local file found by
            `keras_gan.perceptual.weights.find_vgg_weights`), a `.npz` path, or
            `None` for random weights (tests only).
        image_size: side of the training crops (Johnson: 256); a multiple of 4.
        style_size: each style image is resized so its short side has this length.
        seed: base seed of the per-photo style draws.
        transform_network: a network to use instead of building one.
    """

    evaluation_kind = "stylization"
    held_out_metric = "loss"
    tiny_config = dict(
        filters=4, num_residual_blocks=1, perceptual_weights=None, image_size=32, num_styles=2
    )

    def __init__(
        self,
        filters: int = 32,
        num_residual_blocks: int = 5,
        num_styles: int = 1,
        normalization: str = "instance",
        content_layer: str = "block2_conv2",
        style_layers: Sequence[str] = STYLE_LAYERS,
        content_weight: float = 1.0,
        style_weight: float = 1e5,
        tv_weight: float = 0.2,
        perceptual_weights: str | None = "imagenet",
        image_size: int = 256,
        style_size: int = 256,
        seed: int = 0,
        transform_network: keras.Model | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(style_layers, str):
            style_layers = (style_layers,)
        if not style_layers:
            raise ValueError(f"style_layers must not be empty. Received: {style_layers!r}")
        weights = {"content_weight": content_weight, "style_weight": style_weight}
        for name, value in {**weights, "tv_weight": tv_weight}.items():
            if not float(value) >= 0:
                raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
        if int(image_size) < MIN_SIDE or int(image_size) % SIZE_MULTIPLE:
            raise ValueError(
                f"image_size must be a multiple of {SIZE_MULTIPLE} of at least {MIN_SIDE}. "
                f"Received: image_size={image_size}"
            )
        if normalization not in NORMALIZATIONS:
            raise ValueError(
                f"normalization must be one of {NORMALIZATIONS}. "
                f"Received: normalization={normalization!r}"
            )
        if int(style_size) < 16:
            raise ValueError(f"style_size must be >= 16. Received: style_size={style_size}")
        self.filters = int(filters)
        self.num_residual_blocks = int(num_residual_blocks)
        self.num_styles = int(num_styles)
        self.normalization = str(normalization)
        self.content_layer = _check_layer(content_layer, "content_layer")
        self.style_layers = tuple(_check_layer(n, "style_layers") for n in style_layers)
        self.content_weight = float(content_weight)
        self.style_weight = float(style_weight)
        self.tv_weight = float(tv_weight)
        self.perceptual_weights = None if perceptual_weights is None else str(perceptual_weights)
        self.image_size = int(image_size)
        self.style_size = int(style_size)
        self.seed = int(seed)
        self.transform_network = transform_network or build_transform_network(
            self.filters,
            self.num_residual_blocks,
            self.num_styles,
            normalization=self.normalization,
        )
        expected_inputs = 1 if self.num_styles == 1 else 2
        if len(self.transform_network.inputs) != expected_inputs:
            raise ValueError(
                f"num_styles={self.num_styles} needs a transform network with "
                f"{expected_inputs} input(s); the one given has "
                f"{len(self.transform_network.inputs)}."
            )
        # VGG outputs: the content layer, then the style layers (each once).
        self._feature_layers = tuple(dict.fromkeys((self.content_layer, *self.style_layers)))
        self.style_grams = [
            self.add_weight(
                shape=(self.num_styles, _VGG_CHANNELS[name], _VGG_CHANNELS[name]),
                initializer="zeros",
                trainable=False,
                name=f"style_gram_{name}",
            )
            for name in self.style_layers
        ]
        self.style_targets_set = self.add_weight(
            shape=(), initializer="zeros", dtype="int32", trainable=False, name="style_targets_set"
        )
        self._trackers = {}
        self.built = True

    # ------------------------------------------------------------- networks
    @property
    def generator(self) -> keras.Model:
        """The transform network: the network to export."""
        return self.transform_network

    @property
    def sampling_generator(self) -> keras.Model:
        """The transform network, as `generator`."""
        return self.transform_network

    @property
    def size_multiple(self) -> int:
        """Input heights and widths must be multiples of this."""
        return SIZE_MULTIPLE

    def perceptual_network(self) -> VGGFeatures:
        """The frozen VGG16 of the losses, created on first use (not tracked, not saved)."""
        network = self.__dict__.get("_perceptual_network")
        if network is None:
            with self.distribute_strategy.scope():
                network = VGGFeatures(
                    "vgg16", self._feature_layers, weights=self.perceptual_weights, name="vgg16"
                )
                network.build((None, None, None, 3))  # reads the weights file, or raises
            # Kept out of Keras' tracking so the VGG never enters weights or `.keras` files.
            object.__setattr__(self, "_perceptual_network", network)
        return network

    @property
    def has_style_targets(self) -> bool:
        """Whether `set_style_images` was called (on this model or the saved one)."""
        return bool(keras.ops.convert_to_numpy(self.style_targets_set))

    def set_style_images(self, images) -> None:
        """Stores the Gram matrices of the style images as the style targets.

        Args:
            images: `num_styles` RGB images, float32 in [-1, 1], each of any size:
                a list of `[H, W, 3]` arrays, an array `[num_styles, H, W, 3]`, or
                one `[H, W, 3]` array when `num_styles == 1`. Each is resized
                (area-averaged) so its short side is `style_size`.
        """
        if isinstance(images, np.ndarray) and images.ndim == 3:
            images = [images]
        images = [check_images(np.asarray(image)[None], "style images")[0] for image in images]
        if len(images) != self.num_styles:
            raise ValueError(
                f"The model has num_styles={self.num_styles}; set_style_images needs that many "
                f"images. Received: {len(images)} images"
            )
        network = self.perceptual_network()
        grams = [[] for _ in self.style_layers]
        for image in images:
            features = self._by_layer(network(resize_short_side(image, self.style_size)))
            for grams_of_layer, name in zip(grams, self.style_layers, strict=True):
                grams_of_layer.append(gram_matrix(features[name])[0])
        for variable, values in zip(self.style_grams, grams, strict=True):
            variable.assign(tf.stack(values))
        self.style_targets_set.assign(1)

    def _by_layer(self, features) -> dict:
        return dict(zip(self._feature_layers, features, strict=True))

    # -------------------------------------------------------------- compile
    def compile(self, optimizer=None, jit_compile: bool = False, **kwargs):
        """Configures training.

        Args:
            optimizer: the transform network's optimizer (an instance, name or
                config). Default: Adam(1e-3), Johnson's setting.
            jit_compile: compile the train step with XLA.
            **kwargs: passed to `keras.Model.compile` (`steps_per_execution`,
                `run_eagerly`, ...).
        """
        optimizer = keras.optimizers.get(optimizer) if optimizer else keras.optimizers.Adam(1e-3)
        if keras.config.dtype_policy().name == "mixed_float16" and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        if not self._trackers:
            self._trackers = {name: keras.metrics.Mean(name=name) for name in LOSS_NAMES}
        super().compile(optimizer=optimizer, jit_compile=jit_compile, **kwargs)
        with self.distribute_strategy.scope():
            self.optimizer.build(self.transform_network.trainable_variables)

    def get_compile_config(self):
        if not self.compiled:
            return None  # saved uncompiled (e.g. straight from a preset): loads uncompiled
        return {
            "optimizer": keras.optimizers.serialize(self.optimizer),
            "jit_compile": bool(self.jit_compile),
        }

    def compile_from_config(self, config):
        self.compile(
            optimizer=keras.optimizers.deserialize(config["optimizer"]),
            jit_compile=config.get("jit_compile", False),
        )

    @property
    def metrics(self):
        return list(self._trackers.values())

    # ----------------------------------------------------------- training
    def _ready_to_train(self) -> None:
        self.perceptual_network()
        if not self.has_style_targets:
            raise ValueError(
                "StyleTransfer has no style targets: call "
                f"set_style_images(images) with {self.num_styles} style image(s) before "
                "fit or evaluate."
            )

    # The VGG and the style targets are checked eagerly, before Keras traces a step.
    def fit(self, *args, **kwargs):
        self._ready_to_train()
        return super().fit(*args, **kwargs)

    def evaluate(self, *args, **kwargs):
        self._ready_to_train()
        return super().evaluate(*args, **kwargs)

    def train_on_batch(self, *args, **kwargs):
        self._ready_to_train()
        return super().train_on_batch(*args, **kwargs)

    def test_on_batch(self, *args, **kwargs):
        self._ready_to_train()
        return super().test_on_batch(*args, **kwargs)

    def _seed(self, offset: int, counter):
        base = tf.cast(self.seed * 1000 + offset, tf.int64)
        return tf.stack([base, tf.cast(counter, tf.int64)])

    def _unpack(self, data, seed):
        """Photos float32 [N, H, W, 3] and the style indices int32 [N] (None for one style)."""
        images, extra = split_training_batch(data)
        if self.num_styles == 1:
            return images, None
        if extra is not None and extra.dtype.is_integer:
            styles = tf.cast(tf.reshape(extra, [-1]), tf.int32)
            tf.debugging.assert_less(
                styles, self.num_styles, message="style indices must be < num_styles"
            )
            tf.debugging.assert_non_negative(styles, message="style indices must be >= 0")
            return images, styles
        return images, replica_integers(tf.shape(images)[0], self.num_styles, seed)

    def _render(self, images, styles, training):
        inputs = images if styles is None else [images, styles]
        return tf.cast(self.transform_network(inputs, training=training), tf.float32)

    def _loss_terms(self, images, stylized, styles) -> dict:
        count = tf.shape(images)[0]
        features = self.perceptual_network()(tf.concat([stylized, images], axis=0))
        features = self._by_layer(features)
        content = feature_reconstruction_loss(
            features[self.content_layer][:count],
            tf.stop_gradient(features[self.content_layer][count:]),
        )
        if styles is None:
            targets = [grams[:1] for grams in self.style_grams]  # broadcast over the batch
        else:
            targets = [tf.gather(grams, styles) for grams in self.style_grams]
        style = style_loss([features[name][:count] for name in self.style_layers], targets)
        terms = {
            "content": self.content_weight * content,
            "style": self.style_weight * style,
            "tv": self.tv_weight * total_variation_loss(stylized),
        }
        return {"loss": terms["content"] + terms["style"] + terms["tv"], **terms}

    def train_step(self, data):
        images, styles = self._unpack(data, self._seed(_SEED_STYLES, self.optimizer.iterations))
        variables = self.transform_network.trainable_variables
        with tf.GradientTape() as tape:
            logs = self._loss_terms(images, self._render(images, styles, True), styles)
            scaled = self.optimizer.scale_loss(logs["loss"] / num_replicas())
        self.optimizer.apply(tape.gradient(scaled, variables), variables)
        return self._record(logs)

    def test_step(self, data):
        images, styles = self._unpack(data, self._seed(_SEED_EVAL, 0))
        return self._record(self._loss_terms(images, self._render(images, styles, False), styles))

    def _record(self, logs):
        for name, value in logs.items():
            self._trackers[name].update_state(value)
        results = {name: tracker.result() for name, tracker in self._trackers.items()}
        if spans_workers(self.distribute_strategy):
            # As AdversarialModel._record: scalars cannot be reduced across workers.
            results = {name: tf.reshape(value, [1]) for name, value in results.items()}
        return results

    def call(self, inputs, training=False):
        return self.transform_network(inputs, training=training)

    # ------------------------------------------------------------ inference
    def _style_inputs(self, style, count: int):
        """The network and its style input for `stylize`'s `style` argument."""
        style_input = style_array(style, self.num_styles, count)
        if style_input is None or style_input.ndim == 1:
            return self.transform_network, style_input
        network = build_transform_network(
            self.filters,
            self.num_residual_blocks,
            self.num_styles,
            style_input="weights",
            normalization=self.normalization,
        )
        network.set_weights(self.transform_network.get_weights())
        return network, style_input

    # ---------------------------------------------------------------- runs
    sample_columns = 2

    def run_data(self, data: str, config):
        from keras_gan.models.style_transfer.style_run import style_run_data

        return style_run_data(self, data, config)

    def held_out_scores(self, held_out, batch_size: int = 4) -> dict:
        from keras_gan.models.style_transfer.style_run import style_held_out_scores

        return style_held_out_scores(self, held_out)

    def sample_rows(self, images, targets=None) -> np.ndarray:
        """photo | stylized (style 0) per photo, for a sample sheet."""
        images = np.asarray(images, "float32")
        return interleave(images, self.predict_images(images))

    def stylize(self, images, style=0, batch_size: int = 1) -> np.ndarray:
        """Alias of `predict_images`."""
        return self.predict_images(images, style=style, batch_size=batch_size)

    def predict_images(self, images, style=0, batch_size: int = 1) -> np.ndarray:
        """Renders photos of any size in a style (NumPy in, NumPy out).

        Args:
            images: float32 `[N, H, W, 3]` or `[H, W, 3]` in [-1, 1]. Sides that
                are not multiples of 4 are padded by reflection, and the output
                cropped back.
            style: a style index; with several styles also a vector of
                `num_styles` weights (for example `[0.5, 0.5, 0, 0]`) mixing the
                styles' normalization parameters (Dumoulin et al.).
            batch_size: images per forward pass.

        Returns:
            float32 images of the input's shape, in [-1, 1].
        """
        images = np.asarray(images)
        single = images.ndim == 3
        images = check_images(images[None] if single else images, "images")
        padded, (rows, columns) = pad_for_network(images)
        network, style_input = self._style_inputs(style, len(images))
        inputs = padded if style_input is None else [padded, style_input]
        outputs = network.predict(inputs, batch_size=batch_size, verbose=0)
        outputs = np.asarray(outputs, dtype="float32")[:, rows, columns]
        return outputs[0] if single else outputs

    # -------------------------------------------------------- serialization
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            **{key: getattr(self, key) for key in _OPTIONS},
            "style_layers": list(self.style_layers),
            "transform_network": keras.layers.serialize(self.transform_network),
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_networks(config, ("transform_network",)))
