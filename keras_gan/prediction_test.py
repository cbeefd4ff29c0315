import keras
import numpy as np
import pytest
from PIL import Image
from skimage import data

from keras_gan.data.image_files import CorruptImageWarning
from keras_gan.models import DCGAN, Pix2Pix
from keras_gan.prediction import predict_files, predict_image
from keras_gan.tasks import ImageToImage


class _Upscaler(ImageToImage, keras.Model):
    """A minimal super-resolution stand-in: an image-to-image task with `scale` 2."""

    scale = 2
    size_multiple = 1

    def __init__(self):
        super().__init__()
        inputs = keras.Input((None, None, 3))
        outputs = keras.layers.UpSampling2D(2, interpolation="nearest")(inputs)
        self.generator = keras.Model(inputs, outputs)

    @property
    def sampling_generator(self):
        return self.generator


@pytest.fixture(scope="module")
def pix2pix():
    return Pix2Pix(generator_type="unet_128", filters=2, discriminator_filters=2, image_size=128)


def test_any_size_goes_through_a_unet_and_comes_back_at_that_size(pix2pix):
    photo = data.astronaut()[:100, :150]
    out = predict_image(pix2pix, photo)
    assert out.shape == (100, 150, 3) and out.dtype == np.uint8
    padded = np.pad(photo, ((0, 28), (0, 106), (0, 0)), mode="reflect")
    whole = pix2pix.generator(padded[None].astype("float32") / 127.5 - 1, training=False)
    expected = np.clip(np.round((np.asarray(whole)[0, :100, :150] + 1) * 127.5), 0, 255)
    np.testing.assert_allclose(out, expected, atol=1)


def test_super_resolution_is_tiled_and_equals_the_whole_image():
    photo = data.coffee()[:130, :210]
    model = _Upscaler()
    tiled = predict_image(model, photo, tile=64, overlap=16)
    whole = predict_image(model, photo, tile=0)
    assert tiled.shape == (260, 420, 3)
    np.testing.assert_array_equal(tiled, whole)
    np.testing.assert_array_equal(tiled[::2, ::2], photo)


def test_files_and_folders(tmp_path, pix2pix):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    Image.fromarray(data.astronaut()[:64, :96]).save(folder / "a.jpg")
    Image.fromarray(data.coffee()[:80, :60]).save(folder / "sub" / "b.png")
    (folder / "broken.png").write_bytes(b"not a png")
    with pytest.warns(CorruptImageWarning, match="broken.png"):
        written = predict_files(pix2pix, folder, tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in written) == [
        "a.png",
        "sub/b.png",
    ]
    assert Image.open(tmp_path / "out" / "sub" / "b.png").size == (60, 80)
    with pytest.raises(ValueError, match="Cannot read .*broken.png"):
        predict_files(pix2pix, folder / "broken.png", tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()
    with pytest.raises(FileNotFoundError, match="No input"):
        predict_files(pix2pix, tmp_path / "missing.png", tmp_path / "y.png")


def test_noise_models_are_refused():
    with pytest.raises(ValueError, match="generates from noise"):
        predict_image(
            DCGAN(image_size=32, channels=1, base_filters=8), np.zeros((8, 8, 1), np.uint8)
        )
