"""Fits a tiny DCGAN under a mixed-precision policy and prints what the test checks, as JSON."""

import json
import sys

import keras
import numpy as np
import tensorflow as tf

policy = sys.argv[1]
keras.mixed_precision.set_global_policy(policy)

from keras_gan.models import DCGAN, WGANGP  # noqa: E402
from keras_gan.testing import fashion_mnist_batch  # noqa: E402

images, _ = fashion_mnist_batch(64)
report = {}
for cls in (DCGAN, WGANGP):
    model = cls(latent_dim=8, image_size=28, channels=1, base_filters=8, ema_decay=0.9)
    model.compile()
    before = [w.copy() for w in model.generator.get_weights()]
    data = tf.data.Dataset.from_tensor_slices(images).batch(16, drop_remainder=True)
    history = model.fit(data, epochs=2, verbose=0)
    moved = max(
        float(np.abs(a - b).max())
        for a, b in zip(before, model.generator.get_weights(), strict=True)
    )
    report[cls.__name__] = {
        "losses": {k: [float(x) for x in v] for k, v in history.history.items()},
        "loss_scaled": isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer),
        "compute_dtype": model.generator.layers[2].compute_dtype,
        "output_dtype": model.generator(np.zeros((2, 8), "float32")).dtype.name,
        "moved": moved,
        "samples_finite": bool(np.isfinite(model.generate(8, seed=0)).all()),
    }
print("REPORT " + json.dumps(report))
