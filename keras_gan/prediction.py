"""Run an image-to-image model on image files of any size: what `keras-gan predict` calls.

Works for every family whose `generator` maps images to images (super-resolution,
colorization, style transfer, Pix2Pix, CycleGAN). The input is read with the channels
the generator takes (grayscale for a colorizer), padded to the sides the network
accepts and cropped back; super-resolution runs in overlapping tiles so memory stays
bounded on large photos.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import keras
import numpy as np
from PIL import Image

from keras_gan.data.image_files import CorruptImageWarning, list_image_files, load_image
from keras_gan.utils.tiling import tiled_apply

DEFAULT_TILE = 192  # input pixels per tile side for super-resolution
DEFAULT_OVERLAP = 32


def image_function(model: keras.Model, style: int | None = None, **network_kwargs):
    """A function batch [1, h, w, C] in [-1, 1] -> the network's output, and its settings.

    Returns `(function, channels, scale, multiple)`.
    """
    from keras_gan.tasks import ImageToImage

    if not isinstance(model, ImageToImage):
        raise ValueError(
            f"{type(model).__name__} generates from noise: `predict` is for image-to-image "
            "models (use `keras-gan sample`)."
        )
    spec = model.export_spec(**network_kwargs)
    network = spec.network
    num_styles = next((i.cardinality for i in spec.inputs if i.name == "style"), 1)
    if len(spec.inputs) > 1 and num_styles == 1:  # a family with its own prediction_sheet

        def function(batch):
            raise ValueError(f"{spec.family}'s network takes {spec.input_names}.")

        return function, spec.channels, spec.scale, spec.multiple
    if style is not None and not 0 <= style < num_styles:
        raise ValueError(f"style must be in [0, {num_styles}) for this model. Received: {style}")
    channels, scale, multiple = spec.channels, spec.scale, spec.multiple

    if num_styles > 1:
        index = np.array([style or 0], dtype="int32")

        def function(batch):
            return keras.ops.convert_to_numpy(network([batch, index], training=False))
    else:

        def function(batch):
            return keras.ops.convert_to_numpy(network(batch, training=False))

    return function, channels, scale, multiple


def predict_image(
    model: keras.Model,
    image: np.ndarray,
    tile: int | None = None,
    overlap: int = DEFAULT_OVERLAP,
    style: int | None = None,
    **network_kwargs,
) -> np.ndarray:
    """Runs `model` on one uint8 image [H, W, C]; returns uint8 [H * scale, W * scale, C_out].

    Args:
        tile: input tile side; default: tiles of 192 for super-resolution and the whole
            image otherwise (normalization statistics of style networks change per tile).
            0 runs the whole image in one call.
        overlap: input pixels shared by neighbouring tiles.
        style: the style index of a multi-style model.
        network_kwargs: e.g. `direction="BtoA"` for CycleGAN.
    """
    function, channels, scale, multiple = image_function(model, style, **network_kwargs)
    image = np.asarray(image)
    sheet = model.prediction_sheet(image) if not (style or network_kwargs) else None
    if sheet is not None:
        return sheet
    if image.dtype != np.uint8 or image.ndim != 3:
        raise ValueError(f"Expected a uint8 image [H, W, C]; got {image.dtype} {image.shape}.")
    if image.shape[-1] != channels:
        image = to_channels(image, channels)
    if tile is None:
        tile = DEFAULT_TILE if scale > 1 else 0
    whole = max(image.shape[:2]) + multiple
    tile = -(-(tile or whole) // multiple) * multiple
    overlap = min(overlap, tile // 2)
    output = tiled_apply(
        function,
        image.astype(np.float32) / 127.5 - 1.0,
        tile=tile,
        overlap=overlap,
        scale=scale,
        multiple=multiple,
    )
    return np.clip(np.round((output + 1.0) * 127.5), 0, 255).astype(np.uint8)


def to_channels(image: np.ndarray, channels: int) -> np.ndarray:
    """uint8 [H, W, C] converted to 1 (ITU-R 601-2 luma, as Pillow) or 3 channels."""
    mode = {1: "L", 3: "RGB"}.get(image.shape[-1])
    target = {1: "L", 3: "RGB"}.get(channels)
    if mode is None or target is None:
        raise ValueError(f"Cannot convert a {image.shape[-1]}-channel image to {channels}.")
    converted = np.asarray(Image.fromarray(image.squeeze(-1) if mode == "L" else image, mode))
    converted = np.asarray(Image.fromarray(converted).convert(target))
    return converted[..., None] if target == "L" else converted


def predict_files(
    model: keras.Model, source: str | os.PathLike, out: str | os.PathLike, **kwargs
) -> list[Path]:
    """Runs `predict_image` on a file (`out` is a file) or a folder (`out` is a folder).

    Outputs are PNG (a folder's sub-folders are mirrored). Returns the paths written. An
    unreadable input file raises a `ValueError` that names it; in a folder, unreadable
    files are skipped with one warning that lists them. Each output is written to a
    temporary name and renamed, so no half-written PNG is left behind.
    """
    source, out = Path(source), Path(out)
    if not source.exists():
        raise FileNotFoundError(f"No input at {source}.")
    if source.is_dir():
        inputs = [Path(p) for p in list_image_files(str(source))]
        if not inputs:
            raise ValueError(f"{source} holds no image files.")
        targets = [out / p.relative_to(source).with_suffix(".png") for p in inputs]
    else:
        inputs, targets = [source], [out]
    channels = image_function(model)[1]
    written, unreadable = [], []
    for path, target in zip(inputs, targets, strict=True):
        try:
            image = load_image(str(path), channels)
        except Exception as error:  # Pillow raises many types for bad files.
            if not source.is_dir():
                raise ValueError(f"Cannot read {path} as an image: {error}") from None
            unreadable.append(str(path))
            continue
        result = predict_image(model, image, **kwargs)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        Image.fromarray(result.squeeze(-1) if result.shape[-1] == 1 else result).save(
            partial, format="PNG"
        )
        os.replace(partial, target)
        written.append(target)
    if unreadable:
        warnings.warn(
            f"Skipped {len(unreadable)} unreadable image file(s) in {source}: "
            + ", ".join(unreadable),
            CorruptImageWarning,
            stacklevel=2,
        )
    return written
