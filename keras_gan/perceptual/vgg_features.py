"""Frozen VGG16/VGG19 convolution features for perceptual, style and LPIPS-like losses."""

import keras
import numpy as np
from keras import ops

from keras_gan.api_export import keras_gan_export
from keras_gan.perceptual.frozen_layer import FrozenFromFile
from keras_gan.perceptual.weights import VGG_BLOCKS, load_vgg_arrays, vgg_conv_layers

# torchvision's ImageNet statistics for RGB in [0, 1], the input the converted weights expect.
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@keras_gan_export("keras_gan.perceptual.VGGFeatures")
class VGGFeatures(FrozenFromFile):
    """Returns the activations of chosen VGG convolutions for RGB images in `[-1, 1]`.

    The images are normalized inside the layer (to `[0, 1]`, then the ImageNet
    mean and standard deviation per channel), then go through the VGG
    convolutions (3x3, "same" padding, ReLU) with a 2x2 stride-2 max-pool
    between blocks, which floors odd sizes. Only the convolutions up to the
    deepest requested layer are built.

    The layer is never trainable: its weights are constants read from a local
    file when the layer is built, and they are not written into `.keras` files
    (a reloaded layer reads the file again). Gradients flow to the input, so the
    layer can sit inside a generator's loss.

    Args:
        architecture: `"vgg16"` or `"vgg19"`.
        layer_names: `keras.applications` names (`"block{b}_conv{c}"`) of the
            outputs, returned in this order.
        weights: `"imagenet"` (the file found by
            `keras_gan.perceptual.weights.find_vgg_weights`), a path to a `.npz`
            in the same format, or `None` for random weights (tests only).
        before_activation: return the convolution outputs before the ReLU (as
            ESRGAN does) instead of after it. The network itself is unchanged.
        **kwargs: base layer arguments (`name`, `dtype`). The dtype policy
            defaults to `"float32"`; outputs are float32 under any policy.

    Call arguments:
        images: float `[N, H, W, 3]` RGB in `[-1, 1]`, any height and width.

    Returns:
        A list with one float32 `[N, h, w, C]` tensor per name in `layer_names`.

    Raises:
        ValueError: unknown architecture or layer name; a corrupt weights file.
        keras_gan.perceptual.weights.MissingWeightsError: ImageNet weights asked for
            and no local file found (raised when the layer is built; nothing downloads).
    """

    def __init__(
        self,
        architecture: str = "vgg16",
        layer_names=("block2_conv2", "block5_conv3"),
        weights: str | None = "imagenet",
        before_activation: bool = False,
        **kwargs,
    ):
        kwargs.pop("trainable", None)
        kwargs.setdefault("dtype", "float32")
        super().__init__(trainable=False, **kwargs)
        if architecture not in VGG_BLOCKS:
            raise ValueError(
                f"Unknown VGG architecture. Expected one of {sorted(VGG_BLOCKS)}. "
                f"Received: architecture={architecture!r}"
            )
        if isinstance(layer_names, str):
            layer_names = (layer_names,)
        layer_names = tuple(layer_names)
        valid = [name for name, _, _ in vgg_conv_layers(architecture)]
        unknown = [name for name in layer_names if name not in valid]
        if not layer_names or unknown:
            raise ValueError(
                f"`layer_names` must be a non-empty list of {architecture} layers: {valid}. "
                f"Received: layer_names={list(layer_names)!r}"
            )
        if weights is not None and not isinstance(weights, str):
            weights = str(weights)  # a pathlib.Path
        self.architecture = architecture
        self.layer_names = layer_names
        self.weights_source = weights
        self.before_activation = bool(before_activation)
        depth = max(valid.index(name) for name in layer_names) + 1
        self._convs = vgg_conv_layers(architecture)[:depth]

    def build(self, input_shape):
        if input_shape[-1] is not None and input_shape[-1] != 3:
            raise ValueError(
                f"VGGFeatures expects RGB images [N, H, W, 3]. Received: input_shape={input_shape}"
            )
        arrays = None
        if self.weights_source is not None:
            path = None if self.weights_source == "imagenet" else self.weights_source
            arrays = load_vgg_arrays(self.architecture, path)
        self._kernels, self._biases = [], []
        for name, channels_in, channels_out in self._convs:
            if arrays is None:
                kernel_init, bias_init = keras.initializers.HeNormal(), "zeros"
            else:
                kernel_init = keras.initializers.Constant(arrays[f"{name}/kernel"])
                bias_init = keras.initializers.Constant(arrays[f"{name}/bias"])
            self._kernels.append(
                self.add_weight(
                    shape=(3, 3, channels_in, channels_out),
                    initializer=kernel_init,
                    trainable=False,
                    name=f"{name}_kernel",
                )
            )
            self._biases.append(
                self.add_weight(
                    shape=(channels_out,),
                    initializer=bias_init,
                    trainable=False,
                    name=f"{name}_bias",
                )
            )

    def call(self, images):
        x = ops.cast(images, self.compute_dtype)
        mean = np.array(IMAGENET_MEAN, "float32")
        std = np.array(IMAGENET_STD, "float32")
        x = ((x + 1.0) * 0.5 - ops.cast(mean, x.dtype)) / ops.cast(std, x.dtype)
        wanted = set(self.layer_names)
        found = {}
        previous_block = 1
        for (name, _, _), kernel, bias in zip(
            self._convs, self._kernels, self._biases, strict=True
        ):
            block = int(name[len("block")])
            if block != previous_block:
                x = ops.max_pool(x, pool_size=2, strides=2, padding="valid")
                previous_block = block
            x = ops.conv(x, ops.cast(kernel, x.dtype), strides=1, padding="same")
            x = x + ops.cast(bias, x.dtype)
            if name in wanted and self.before_activation:
                found[name] = x
            x = ops.relu(x)
            if name in wanted and not self.before_activation:
                found[name] = x
        return [ops.cast(found[name], "float32") for name in self.layer_names]

    def compute_output_shape(self, input_shape):
        shapes = []
        channels = {name: out for name, _, out in self._convs}
        for name in self.layer_names:
            pools = int(name[len("block")]) - 1
            height, width = input_shape[1], input_shape[2]
            for _ in range(pools):
                height = None if height is None else height // 2
                width = None if width is None else width // 2
            shapes.append((input_shape[0], height, width, channels[name]))
        return shapes

    def compute_output_spec(self, images):
        # The outputs are float32 under any policy (see `call`), not the compute dtype that
        # Keras would give them from `compute_output_shape`.
        return [
            keras.KerasTensor(shape, dtype="float32")
            for shape in self.compute_output_shape(images.shape)
        ]

    def get_config(self):
        return {
            **super().get_config(),
            "architecture": self.architecture,
            "layer_names": list(self.layer_names),
            "weights": self.weights_source,
            "before_activation": self.before_activation,
        }
