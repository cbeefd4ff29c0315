"""Which network an export writes, and what it takes: the input spec of every format.

The exported network is always the generator side of a model, with float32 inputs and
outputs in [-1, 1]: the EMA generator where a noise family keeps one, CycleGAN's A -> B
(or B -> A) generator, the transform network of style transfer, the colorizer's
gray -> RGB network. Noise families are wrapped so their latents are named inputs
(`z`, and `labels` or InfoGAN's `codes` / `continuous`) instead of one concatenated
vector; the wrapper shares the generator's weights.
"""

from __future__ import annotations

import dataclasses
import os

import keras

from keras_gan.data.paired import DIRECTIONS

DEFAULT_SIDE = 256  # input side of fixed-size exports when the model names none
_DIRECTION_ALIASES = {"a_to_b": "AtoB", "b_to_a": "BtoA", "atob": "AtoB", "btoa": "BtoA"}


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """One named network input: `shape` excludes the batch axis (None = any size).

    `cardinality` is the number of valid values of an int32 input (classes, codes,
    styles); None for float inputs.
    """

    name: str
    shape: tuple
    dtype: str
    cardinality: int | None = None


@dataclasses.dataclass(frozen=True)
class ExportNetwork:
    """The network to export and how to feed it.

    Attributes:
        network: a Keras model; called with one tensor (one input) or a list in
            the order of `inputs`; returns float32 images in [-1, 1].
        kind: `"image"` (image-to-image) or `"noise"` (latents to images).
        inputs: the named inputs; for `"image"` the first is `images`.
        channels: channels of the input images (image kind), else 0.
        output_channels: channels of the output images.
        scale: output side / input side (super-resolution), 1 otherwise.
        multiple: input sides must be multiples of this.
        natural_size: the default input side of fixed-size exports (image kind),
            or the output side (noise kind).
        family: the model's class name.
        direction: CycleGAN's direction, else None.
    """

    network: keras.Model
    kind: str
    inputs: tuple[InputSpec, ...]
    channels: int
    output_channels: int
    scale: int
    multiple: int
    natural_size: int
    family: str
    direction: str | None = None

    @property
    def input_names(self) -> list[str]:
        return [spec.name for spec in self.inputs]

    def call(self, tensors: list, training: bool = False):
        """Runs the network on tensors in the order of `inputs`."""
        return self.network(tensors[0] if len(tensors) == 1 else list(tensors), training=training)

    def describe(self) -> dict:
        """JSON-ready facts about the network (used in metadata and reports)."""
        return {
            "family": self.family,
            "kind": self.kind,
            "direction": self.direction,
            "scale": self.scale,
            "size_multiple": self.multiple,
            "inputs": [dataclasses.asdict(spec) for spec in self.inputs],
            "output_channels": self.output_channels,
        }


def check_direction(direction: str | None) -> str | None:
    """`AtoB` / `BtoA` (also `a_to_b`, `b_to_a`), or None."""
    if direction is None:
        return None
    value = _DIRECTION_ALIASES.get(str(direction).lower(), direction)
    if value not in DIRECTIONS:
        raise ValueError(
            f"direction must be 'AtoB' or 'BtoA' ('a_to_b' / 'b_to_a'). Received: "
            f"direction={direction!r}"
        )
    return value


class _GeneratorInputs(keras.layers.Layer):
    """Maps named latents to what a noise family's generator takes (`generator_inputs`)."""

    def __init__(self, to_generator_inputs, names, **kwargs):
        super().__init__(**kwargs)
        self._to_generator_inputs = to_generator_inputs
        self._names = tuple(names)

    def call(self, inputs):
        return self._to_generator_inputs(dict(zip(self._names, inputs, strict=True)))


def noise_export_network(model) -> ExportNetwork:
    """The export spec of a noise -> image model (`ImageGenerator.export_spec`).

    The sampling generator is wrapped so that each latent the model samples is a named
    input; int32 inputs get the cardinality the model declares (`num_classes`, InfoGAN's
    `num_categorical_codes`).
    """
    generator = model.sampling_generator
    latents = model.sampling_inputs(2, seed=0)
    cardinalities = {
        "labels": getattr(model, "num_classes", None),
        "codes": getattr(model, "num_categorical_codes", None),
    }
    specs = []
    for name, value in latents.items():
        is_int = value.dtype.kind in "iu"
        specs.append(
            InputSpec(
                name,
                tuple(value.shape[1:]),
                "int32" if is_int else "float32",
                cardinalities.get(name) if is_int else None,
            )
        )
    inputs = [keras.Input(spec.shape, dtype=spec.dtype, name=spec.name) for spec in specs]
    mapped = _GeneratorInputs(model.generator_inputs, [s.name for s in specs], name="latents")(
        inputs
    )
    images = generator(mapped)
    wrapper = keras.Model(inputs if len(inputs) > 1 else inputs[0], images, name="generator")
    side = int(generator.output.shape[1])
    return ExportNetwork(
        network=wrapper,
        kind="noise",
        inputs=tuple(specs),
        channels=0,
        output_channels=int(generator.output.shape[-1]),
        scale=1,
        multiple=1,
        natural_size=side,
        family=type(model).__name__,
    )


def image_export_network(
    network: keras.Model,
    family: str,
    scale: int = 1,
    multiple: int = 1,
    natural_size: int = DEFAULT_SIDE,
    num_styles: int = 1,
    direction: str | None = None,
) -> ExportNetwork:
    """The export spec of an image -> image network (`ImageToImage.export_spec`).

    A network with a second input takes a style index (`num_styles` > 1).
    """
    channels = int(network.inputs[0].shape[-1])
    specs = [InputSpec("images", (None, None, channels), "float32")]
    if len(network.inputs) > 1:
        if num_styles < 2 or len(network.inputs) != 2 or network.inputs[1].shape[1:] != ():
            raise ValueError(
                f"Cannot export {family}'s network with inputs "
                f"{[tuple(t.shape) for t in network.inputs]}: expected images and a style index."
            )
        specs.append(InputSpec("style", (), "int32", num_styles))
    return ExportNetwork(
        network=network,
        kind="image",
        inputs=tuple(specs),
        channels=channels,
        output_channels=int(network.outputs[0].shape[-1]),
        scale=scale,
        multiple=multiple,
        natural_size=natural_size,
        family=family,
        direction=direction,
    )


def export_network(model, direction: str | None = None) -> ExportNetwork:
    """The network `model` exports (see the module docstring) and its input spec.

    The model says it itself (`model.export_spec`, from its task base).

    Args:
        model: a keras-gan model (any family).
        direction: CycleGAN's `AtoB` (default) or `BtoA`.
    """
    from keras_gan.tasks import Task

    if not isinstance(model, Task):
        raise ValueError(
            f"{type(model).__name__} is not a keras-gan family: nothing to export. "
            "Expected a model of `keras-gan families`."
        )
    return model.export_spec(direction=check_direction(direction))


def resolve_input_size(spec: ExportNetwork, size=None) -> tuple[int, int]:
    """The fixed (height, width) of an image export, checked against `spec.multiple`.

    Args:
        size: None (the model's natural size), an int side, or `(height, width)`.
    """
    if spec.kind != "image":
        if size is not None:
            raise ValueError(
                f"{spec.family} generates from noise and has no input size. Received: "
                f"input_size={size!r}"
            )
        return (spec.natural_size, spec.natural_size)
    if size is None:
        size = spec.natural_size
    sides = (size, size) if isinstance(size, int) else tuple(size)
    if len(sides) == 1:
        sides = (sides[0], sides[0])
    if len(sides) != 2 or any(int(s) != s or int(s) < 1 for s in sides):
        raise ValueError(f"input_size must be S or (H, W) with positive sides. Received: {size!r}")
    height, width = int(sides[0]), int(sides[1])
    if height % spec.multiple or width % spec.multiple:
        raise ValueError(
            f"{spec.family}'s network takes sides that are multiples of size_multiple="
            f"{spec.multiple}. Received: input_size={height}x{width}"
        )
    return height, width


def resolve_model(model, allow_untrained: bool = False):
    """A keras-gan model from a model, a `.keras` path or a preset name (trained, unless
    `allow_untrained`: a preset without weights is refused)."""
    if isinstance(model, (str, os.PathLike)):
        from keras_gan.models import load_gan

        return load_gan(str(model), allow_untrained=allow_untrained)
    return model
