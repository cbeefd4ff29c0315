import keras
import numpy as np
import pytest
from keras.src import testing

from keras_gan.layers import ImagePool


def _images(start, n, shape=(2, 2, 1)):
    # Image k is filled with the value k, so outputs say which image they are.
    return np.stack([np.full(shape, start + k, "float32") for k in range(n)])


def _ids(images):
    return [int(v) for v in np.asarray(images)[:, 0, 0, 0]]


def test_the_pool_fills_then_swaps_about_half_the_images_for_older_ones():
    pool = ImagePool(pool_size=4, image_shape=(2, 2, 1))
    assert _ids(pool(_images(0, 3), seed=[0, 0])) == [0, 1, 2]  # filling: unchanged
    assert _ids(pool(_images(3, 1), seed=[0, 1])) == [3]
    assert int(pool.count.numpy()) == 4
    seen, swapped = set(range(4)), 0
    for step in range(50):
        batch = _images(100 + 2 * step, 2)
        out = _ids(pool(batch, seed=[0, 2 + step]))
        for incoming, returned in zip(_ids(batch), out, strict=True):
            if returned != incoming:
                swapped += 1
                assert returned in seen  # an image the pool was given before
            seen.add(incoming)
    assert 30 <= swapped <= 70  # p = 0.5 over 100 draws
    # The pool now holds recent images: most of the first four were replaced.
    assert len(set(_ids(pool.images.numpy())) - set(range(4))) >= 3


def test_the_same_seed_gives_the_same_swaps():
    outputs = []
    for _ in range(2):
        pool = ImagePool(pool_size=2, image_shape=(2, 2, 1))
        pool(_images(0, 2), seed=[1, 0])
        outputs.append([_ids(pool(_images(10 + 3 * s, 3), seed=[1, s + 1])) for s in range(5)])
    assert outputs[0] == outputs[1]


def test_pool_size_zero_is_the_identity():
    pool = ImagePool(pool_size=0, image_shape=(2, 2, 1))
    assert pool.weights == []
    assert _ids(pool(_images(5, 3), seed=[0, 0])) == [5, 6, 7]


def test_the_pool_is_not_saved_and_the_config_round_trips():
    pool = ImagePool(pool_size=3, image_shape=(2, 2, 1), name="pool")
    pool(_images(0, 3), seed=[0, 0])
    store = {}
    pool.save_own_variables(store)
    assert store == {}
    clone = ImagePool.from_config(pool.get_config())
    assert clone.pool_size == 3 and clone.image_shape == (2, 2, 1)
    assert int(clone.count.numpy()) == 0
    assert keras.layers.deserialize(keras.layers.serialize(pool)).pool_size == 3


def test_negative_pool_size_is_an_error():
    with pytest.raises(ValueError, match="pool_size"):
        ImagePool(pool_size=-1)


class ImagePoolLayerTest(testing.TestCase):
    """Keras's own layer checks (serialization, build, symbolic call, training, mixed precision)."""

    def test_run_layer_test(self):
        images = _images(0, 2, shape=(2, 3, 1))
        # A new pool is filling: the images come back unchanged.
        for pool_size, variables in [(3, 2), (0, 0)]:  # pool and count; none when disabled
            self.run_layer_test(
                ImagePool,
                init_kwargs={"pool_size": pool_size, "image_shape": (2, 3, 1)},
                input_data=images,
                expected_output=keras.ops.convert_to_tensor(images),
                expected_num_trainable_weights=0,
                expected_num_non_trainable_weights=variables,
                expected_num_non_trainable_variables=variables,
                expected_num_seed_generators=0,  # the draws are stateless
                expected_num_losses=0,
                supports_masking=False,
            )
