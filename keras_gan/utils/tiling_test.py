import keras
import numpy as np
import pytest
from skimage import data

from keras_gan.utils.tiling import pad_to_multiple, tiled_apply


def _photo(height=150, width=230):
    return data.astronaut()[:height, :width].astype(np.float32) / 127.5 - 1.0


def _nearest_upscale(batch, scale=2):
    return np.repeat(np.repeat(batch, scale, axis=1), scale, axis=2)


def test_pixelwise_function_is_reproduced_exactly_across_tiles():
    image = _photo()
    tiled = tiled_apply(_nearest_upscale, image, tile=64, overlap=8, scale=2)
    np.testing.assert_allclose(tiled, _nearest_upscale(image[None])[0], atol=1e-6)


def test_convolutional_network_shows_no_seams():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((None, None, 3))
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(12, 3, padding="same")(x)
    outputs = keras.layers.Lambda(lambda t: __import__("tensorflow").nn.depth_to_space(t, 2))(x)
    network = keras.Model(inputs, outputs)
    image = _photo()
    whole = network(image[None]).numpy()[0]
    tiled = tiled_apply(lambda b: network(b).numpy(), image, tile=64, overlap=16, scale=2)
    assert tiled.shape == whole.shape == (300, 460, 3)
    # Receptive-field radius 2 <= overlap / 4: the tile borders get no weight.
    np.testing.assert_allclose(tiled, whole, atol=1e-5)
    no_blend = tiled_apply(lambda b: network(b).numpy(), image, tile=64, overlap=0, scale=2)
    assert np.max(np.abs(no_blend - whole)) > np.max(np.abs(tiled - whole))


def test_padding_to_a_multiple_is_cropped_back():
    image = _photo(100, 150)
    padded, size = pad_to_multiple(image, 32)
    assert padded.shape == (128, 160, 3) and size == (100, 150)
    np.testing.assert_array_equal(padded[:100, :150], image)
    out = tiled_apply(lambda b: b * 2, image, tile=64, overlap=16, multiple=32)
    np.testing.assert_allclose(out, image * 2, atol=1e-6)


def test_bad_arguments_are_named():
    image = _photo(40, 40)
    with pytest.raises(ValueError, match="tile must be a positive multiple of 4"):
        tiled_apply(lambda b: b, image, tile=30, multiple=4)
    with pytest.raises(ValueError, match="overlap"):
        tiled_apply(lambda b: b, image, tile=32, overlap=32)
    with pytest.raises(ValueError, match="one image"):
        tiled_apply(lambda b: b, image[None], tile=32)
    with pytest.raises(ValueError, match="expected"):
        tiled_apply(lambda b: b, image, tile=32, scale=2)
