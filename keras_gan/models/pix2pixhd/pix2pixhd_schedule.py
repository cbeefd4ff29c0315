"""Coarse-to-fine training, as the reference's: the global generator alone at half the
resolution, then the local enhancer around it, the global generator fixed for the first
`niter_fix_global` epochs.

1. Train `Pix2PixHD(generator_type="global", image_size=S / 2)` on `half_resolution`
   batches.
2. `local_from_global(trained, n_local_enhancers=1, niter_fix_global=E)`: a `local` model
   at `image_size=S` whose global generator holds the trained weights (the reference's
   `--load_pretrain`); its discriminator and encoder are copied where they fit.
3. `fit` it on full-resolution batches: for the first E epochs only the outermost
   enhancer (and the encoder) train, then every generator weight (`FixGlobalGenerator`,
   which `Pix2PixHD.fit` adds when `niter_fix_global > 0`).

Where we differ: the reference starts a new Adam for the generator when the global
generator joins; ours keeps one optimizer, whose moments for the global weights start at
zero when they join (the global weights receive no update while fixed).
"""

from __future__ import annotations

import keras
import tensorflow as tf


class FixGlobalGenerator(keras.callbacks.Callback):
    """Trains only the outermost enhancer for the first `model.niter_fix_global` epochs."""

    def on_epoch_begin(self, epoch, logs=None):
        self.model.set_global_fixed(epoch < self.model.niter_fix_global)


def outermost_enhancer_variables(model) -> list:
    """The trainable variables of the layers named `local{n_local_enhancers}_*`."""
    prefix = f"local{model.n_local_enhancers}_"
    return [
        variable
        for layer in model.generator.layers
        if layer.name.startswith(prefix)
        for variable in layer.trainable_variables
    ]


def half_resolution(labels, instances, photos, factor: int = 2):
    """A batch at 1 / `factor` of its side: id maps by nearest neighbour (every
    `factor`-th pixel), photos by area averaging."""
    labels = tf.convert_to_tensor(labels)[:, ::factor, ::factor]
    instances = (
        None if instances is None else tf.convert_to_tensor(instances)[:, ::factor, ::factor]
    )
    photos = tf.nn.avg_pool2d(tf.cast(photos, tf.float32), factor, factor, "VALID")
    return labels, instances, photos


def local_from_global(
    trained, n_local_enhancers: int = 1, n_blocks_local: int = 3, niter_fix_global: int = 0
):
    """A `local` Pix2PixHD at `2 ** n_local_enhancers` times `trained`'s resolution whose
    global generator is `trained`'s (all but its head), with `trained`'s discriminator and
    encoder weights."""
    if trained.generator_type != "global":
        raise ValueError(
            f"local_from_global needs a global model. Received: {trained.generator_type!r}"
        )
    scale = 2 ** int(n_local_enhancers)
    if trained.ngf % scale:
        raise ValueError(
            f"The global generator's ngf ({trained.ngf}) must divide by 2 ** "
            f"n_local_enhancers = {scale}: the local model's ngf is ngf / {scale}."
        )
    config = trained.get_config()
    for key in ("generator", "discriminator", "encoder", "name", "feature_clusters"):
        config.pop(key, None)
    config.update(
        generator_type="local",
        ngf=trained.ngf // scale,
        n_local_enhancers=int(n_local_enhancers),
        n_blocks_local=int(n_blocks_local),
        niter_fix_global=int(niter_fix_global),
        image_size=trained.image_size * scale,
    )
    model = type(trained)(**config)
    for layer in model.generator.layers:
        if layer.name.startswith("global_") and layer.weights:
            layer.set_weights(trained.generator.get_layer(layer.name).get_weights())
    model.discriminator.set_weights(trained.discriminator.get_weights())
    if model.encoder is not None:
        model.encoder.set_weights(trained.encoder.get_weights())
    return model
