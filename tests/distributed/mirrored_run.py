"""One-device vs. two-replica MirroredStrategy `fit` from the same initial weights.

Usage: python mirrored_run.py FAMILY OUT.npz STEPS

Splits the host CPU into two logical devices (before TF initialises), builds one
model and copies its weights into fresh models, one on the default (single
device) strategy and one created inside a `MirroredStrategy(["/cpu:0",
"/cpu:1"])` scope. For each optimizer setting (Adam defaults, SGD) both train
STEPS steps on the same global batches of Fashion-MNIST. Saves to OUT.npz:
`init/<net>/<path>`, `<optimizer>/single|mirrored/<net>/<path>`, and
`meta/gradient_free` (see `common.gradient_free_weights`).
"""

import sys

import tensorflow as tf

cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402
from common import (  # noqa: E402
    GLOBAL_BATCH,
    OPTIMIZERS,
    build_model,
    gradient_free_weights,
    make_dataset,
    read_fashion_mnist,
    train,
    weights_of,
)


def main(family: str, out: str, steps: int) -> None:
    assert len(tf.config.list_logical_devices("CPU")) == 2
    keras.utils.set_random_seed(0)
    images = read_fashion_mnist(GLOBAL_BATCH * steps)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert strategy.num_replicas_in_sync == 2

    reference = build_model(family)
    init = reference.get_weights()
    saved = weights_of(reference, "init")
    saved["meta/gradient_free"] = np.array(gradient_free_weights(reference), dtype=str)

    for optimizer in OPTIMIZERS:
        single = build_model(family)
        single.set_weights(init)
        with strategy.scope():
            mirrored = build_model(family)
            mirrored.set_weights(init)
        assert mirrored.distribute_strategy is strategy
        assert single.distribute_strategy.num_replicas_in_sync == 1

        train(single, make_dataset(images), optimizer)
        with strategy.scope():
            train(mirrored, make_dataset(images), optimizer)
        for model in (single, mirrored):
            assert int(model.g_optimizer.iterations.numpy()) == steps
            assert int(model.d_optimizer.iterations.numpy()) == steps * model.d_steps
        saved.update(weights_of(single, f"{optimizer}/single"))
        saved.update(weights_of(mirrored, f"{optimizer}/mirrored"))
    np.savez(out, **saved)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
