"""One worker of a two-worker MultiWorkerMirroredStrategy DCGAN `fit`.

Usage: TF_CONFIG=... python multi_worker_run.py OUT.npz STEPS [--reference]

The strategy is created first, from TF_CONFIG, before any other TF op. Every
worker builds the same tf.data pipeline over the same Fashion-MNIST images,
with auto-sharding by DATA: each global batch is split into per-replica
slices and worker i trains on slice i, the contiguous split that the
replica-consistent noise (keras_gan.models.replica_random) assumes, so the
run can be compared with one device. (OFF would give every worker the whole
data: both replicas would train on the same examples. FILE cannot shard an
in-memory dataset; AUTO would fall back to DATA with a warning.)

Saves init/ and trained/ weights and meta/gradient_free to OUT.npz; with
--reference it also trains a one-device model from the same initial weights
(reference/), after the distributed run.
"""

import sys

import tensorflow as tf

# Two workers share this machine's cores: one thread pool each keeps them fair.
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
strategy = tf.distribute.MultiWorkerMirroredStrategy()

import keras  # noqa: E402
import numpy as np  # noqa: E402
from common import (  # noqa: E402
    GLOBAL_BATCH,
    build_model,
    gradient_free_weights,
    make_dataset,
    read_fashion_mnist,
    train,
    weights_of,
)


def main(out: str, steps: int, reference: bool) -> None:
    assert strategy.num_replicas_in_sync == 2, strategy.num_replicas_in_sync
    keras.utils.set_random_seed(0)
    images = read_fashion_mnist(GLOBAL_BATCH * steps)
    dataset = make_dataset(images, tf.data.experimental.AutoShardPolicy.DATA)

    initial = build_model("dcgan")
    init = initial.get_weights()
    saved = weights_of(initial, "init")
    saved["meta/gradient_free"] = np.array(gradient_free_weights(initial), dtype=str)
    with strategy.scope():
        model = build_model("dcgan")
        model.set_weights(init)
        train(model, dataset)
    assert int(model.g_optimizer.iterations.numpy()) == steps
    saved.update(weights_of(model, "trained"))

    if reference:
        train(initial, make_dataset(images))
        assert int(initial.g_optimizer.iterations.numpy()) == steps
        saved.update(weights_of(initial, "reference"))
    np.savez(out, **saved)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), "--reference" in sys.argv[3:])
