"""Random draws that do not depend on how a global batch is split across replicas.

Under `tf.distribute`, each replica sees a slice of the global batch. Drawing
noise per replica would make a two-replica run differ from a one-device run on
the same global batch. Here every replica draws the whole global batch from the
same stateless seed and keeps its own contiguous slice (the slice
`tf.distribute` gives it of the data), so the noise each example meets is the
same however many replicas there are.
"""

import tensorflow as tf


def _replica_slice(draw, local_batch):
    context = tf.distribute.get_replica_context()
    replicas = context.num_replicas_in_sync if context is not None else 1
    if replicas == 1:
        return draw(local_batch)
    replica_id = tf.cast(context.replica_id_in_sync_group, tf.int32)
    values = draw(local_batch * replicas)
    return values[replica_id * local_batch : (replica_id + 1) * local_batch]


def offset_seed(seed, offset: int):
    """Another stream from a stateless seed [2]: shifts its first component by `offset`."""
    return seed + tf.constant([offset, 0], dtype=seed.dtype)


def num_replicas() -> int:
    """The number of replicas whose gradients are summed: losses are divided by it."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def replica_normal(local_batch, tail_shape, seed):
    """Standard normal values of shape [local_batch, *tail_shape], float32."""
    return _replica_slice(
        lambda n: tf.random.stateless_normal(tf.concat([[n], tail_shape], 0), seed),
        local_batch,
    )


def replica_uniform(local_batch, tail_shape, seed, minval=0.0, maxval=1.0):
    """Uniform float32 values in [minval, maxval) of shape [local_batch, *tail_shape]."""
    return _replica_slice(
        lambda n: tf.random.stateless_uniform(
            tf.concat([[n], tail_shape], 0), seed, minval=minval, maxval=maxval
        ),
        local_batch,
    )


def replica_integers(local_batch, maxval: int, seed):
    """Uniform int32 values in [0, maxval) of shape [local_batch]."""
    return _replica_slice(
        lambda n: tf.random.stateless_uniform([n], seed, minval=0, maxval=maxval, dtype=tf.int32),
        local_batch,
    )
