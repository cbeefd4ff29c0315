"""The history of generated images a CycleGAN discriminator learns from (Shrivastava et al.)."""

import keras
import tensorflow as tf

from keras_gan.api_export import keras_gan_export


@keras_gan_export("keras_gan.layers.ImagePool")
class ImagePool(keras.layers.Layer):
    """Returns a batch in which each image may be swapped for an older generated one.

    While the pool is filling, every image is stored and returned unchanged.
    Once it holds `pool_size` images, each incoming image is, with probability
    one half, returned unchanged; otherwise a random stored image is returned
    and the incoming one takes its place. With `pool_size=0` the layer is the
    identity. Gradients do not flow through the pool.

    The pool is training state, not a weight: it is left out of saved models
    and starts empty after loading, as in the reference implementation.

    Args:
        pool_size: number of images kept.
        image_shape: (height, width, channels) of the images.
    """

    def __init__(self, pool_size: int = 50, image_shape=(256, 256, 3), **kwargs):
        super().__init__(**kwargs)
        if int(pool_size) < 0:
            raise ValueError(f"pool_size must be >= 0. Received: pool_size={pool_size}")
        self.pool_size = int(pool_size)
        self.image_shape = tuple(int(d) for d in image_shape)
        if self.pool_size:
            # One pool per model: under several replicas the first replica's
            # updates are the ones kept.
            self.images = self.add_weight(
                shape=(self.pool_size, *self.image_shape),
                initializer="zeros",
                trainable=False,
                aggregation="only_first_replica",
                name="images",
            )
            self.count = self.add_weight(
                shape=(),
                dtype="int32",
                initializer="zeros",
                trainable=False,
                aggregation="only_first_replica",
                name="count",
            )
        self.built = True

    def call(self, images, seed=None):
        """`images` [N, H, W, C]; `seed` a stateless seed (shape [2], int) for the draws."""
        # The pool works in float32 (its variable dtype); the output is in the compute dtype,
        # that of the images as they came in (under a mixed policy, float16 both ways: exact).
        images = tf.stop_gradient(tf.cast(images, "float32"))
        if not self.pool_size:
            return tf.cast(images, self.compute_dtype)
        seed = tf.zeros([2], tf.int64) if seed is None else tf.cast(seed, tf.int64)
        batch = tf.shape(images)[0]
        coins = tf.random.stateless_uniform([batch], seed)
        slots = tf.random.stateless_uniform(
            [batch], seed + [0, 1], maxval=self.pool_size, dtype=tf.int32
        )
        pool = tf.cast(self.images, "float32")
        count = tf.cast(self.count, tf.int32)

        def step(i, pool, count, outputs):
            image = images[i]
            filling = count < self.pool_size
            swap = tf.logical_and(tf.logical_not(filling), coins[i] > 0.5)
            slot = tf.where(filling, count, slots[i])
            stored = pool[slot]
            write = tf.logical_or(filling, swap)
            pool = tf.tensor_scatter_nd_update(pool, [[slot]], [tf.where(write, image, stored)])
            output = tf.where(swap, stored, image)
            outputs = outputs.write(i, output)
            return i + 1, pool, tf.minimum(count + 1, self.pool_size), outputs

        outputs = tf.TensorArray("float32", size=batch, element_shape=self.image_shape)
        _, pool, count, outputs = tf.while_loop(
            lambda i, *_: i < batch, step, (0, pool, count, outputs)
        )
        self.images.assign(tf.cast(pool, self.images.dtype))
        self.count.assign(count)
        return tf.cast(outputs.stack(), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    # The pool is not saved: see the class docstring.
    def save_own_variables(self, store):
        pass

    def load_own_variables(self, store):
        pass

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "image_shape": list(self.image_shape),
        }
