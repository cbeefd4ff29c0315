"""Training throughput of Pix2Pix and CycleGAN at the reference's sizes, `fit` vs a bare loop.

Pix2Pix: `unet_256` + `basic` PatchGAN, batch 1, 256x256 (the reference's
defaults); CycleGAN: two `resnet_9blocks` + two `basic`, batch 1, 256x256.
Each is timed three ways on the same networks and data:

- `fit`: `model.fit` as users call it (graph mode, or `jit_compile=True`);
- `bare`: the same training step written as a plain `tf.function` over the
  model's networks and optimizers, without Keras's trainer, metrics or
  callbacks, so the overhead of our `fit` is visible.

Prints JSON (and writes it with --out); `overhead_pct` is fit's time per step
over the bare loop's, minus one.

    python bench/translation_throughput.py --steps 10 --out bench/out/translation_throughput.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from machine import machine_info, print_report  # noqa: E402

from keras_gan.losses import (  # noqa: E402
    gan_mode_discriminator_loss,
    gan_mode_generator_loss,
    mean_absolute_error,
)
from keras_gan.models import CycleGAN, Pix2Pix  # noqa: E402

SIZE = 256


def _data(batch_size: int) -> tf.data.Dataset:
    rng = np.random.default_rng(0)
    a = np.tanh(rng.normal(size=(8, SIZE, SIZE, 3))).astype("float32")
    b = np.tanh(rng.normal(size=(8, SIZE, SIZE, 3))).astype("float32")
    return tf.data.Dataset.from_tensor_slices((a, b)).batch(batch_size).repeat()


def _build(family: str):
    if family == "pix2pix":
        return Pix2Pix()  # unet_256, basic, batch norm, vanilla, L1 100
    return CycleGAN()  # resnet_9blocks, basic, instance norm, lsgan, pool 50


def pix2pix_bare_step(model):
    g, d = model.generator, model.discriminator

    def step(a, b):
        with tf.GradientTape() as g_tape:
            fake = g(a, training=True)
            with tf.GradientTape() as d_tape:
                d_loss = gan_mode_discriminator_loss(
                    d(tf.concat([a, b], -1), training=True),
                    d(tf.concat([a, tf.stop_gradient(fake)], -1), training=True),
                    "vanilla",
                )
            grads = d_tape.gradient(d_loss, d.trainable_variables)
            model.d_optimizer.apply(grads, d.trainable_variables)
            g_loss = gan_mode_generator_loss(
                d(tf.concat([a, fake], -1), training=True), "vanilla"
            ) + 100.0 * mean_absolute_error(b, fake)
        grads = g_tape.gradient(g_loss, g.trainable_variables)
        model.g_optimizer.apply(grads, g.trainable_variables)
        return g_loss

    return step


def cyclegan_bare_step(model):
    g_ab, g_ba = model.generator_ab, model.generator_ba
    d_a, d_b = model.discriminator_a, model.discriminator_b
    g_vars = g_ab.trainable_variables + g_ba.trainable_variables
    d_vars = d_a.trainable_variables + d_b.trainable_variables

    def step(a, b):
        with tf.GradientTape() as tape:
            fake_b, fake_a = g_ab(a, training=True), g_ba(b, training=True)
            g_loss = (
                gan_mode_generator_loss(d_b(fake_b, training=True), "lsgan")
                + gan_mode_generator_loss(d_a(fake_a, training=True), "lsgan")
                + 10.0 * mean_absolute_error(a, g_ba(fake_b, training=True))
                + 10.0 * mean_absolute_error(b, g_ab(fake_a, training=True))
                + 5.0 * mean_absolute_error(b, g_ab(b, training=True))
                + 5.0 * mean_absolute_error(a, g_ba(a, training=True))
            )
        model.g_optimizer.apply(tape.gradient(g_loss, g_vars), g_vars)
        seed = tf.stack([tf.constant(0, tf.int64), model.d_optimizer.iterations])
        pooled_a, pooled_b = model.pool_a(fake_a, seed=seed), model.pool_b(fake_b, seed=seed)
        with tf.GradientTape() as tape:
            d_loss = gan_mode_discriminator_loss(
                d_a(a, training=True), d_a(pooled_a, training=True), "lsgan"
            ) + gan_mode_discriminator_loss(
                d_b(b, training=True), d_b(pooled_b, training=True), "lsgan"
            )
        model.d_optimizer.apply(tape.gradient(d_loss, d_vars), d_vars)
        return g_loss

    return step


BARE_STEPS = {"pix2pix": pix2pix_bare_step, "cyclegan": cyclegan_bare_step}


def time_fit(family, jit, batch_size, steps, warmup):
    model = _build(family)
    model.compile(jit_compile=jit)
    data = _data(batch_size)
    model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0)
    started = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
    return time.perf_counter() - started


def time_bare(family, jit, batch_size, steps, warmup):
    model = _build(family)
    model.compile()  # builds the optimizers; the loop below never calls fit
    # As Keras does: the data iterator stays outside the (possibly XLA) step.
    compiled = tf.function(BARE_STEPS[family](model), jit_compile=jit)

    @tf.function
    def step(iterator):
        a, b = next(iterator)
        return compiled(a, b)

    iterator = iter(_data(batch_size))
    for _ in range(warmup):
        step(iterator).numpy()
    started = time.perf_counter()
    for _ in range(steps):
        loss = step(iterator)
    loss.numpy()
    return time.perf_counter() - started


def measure(family, jit, batch_size, steps, warmup):
    fit_s = time_fit(family, jit, batch_size, steps, warmup)
    bare_s = time_bare(family, jit, batch_size, steps, warmup)
    return {
        "family": family,
        "networks": "unet_256 + basic" if family == "pix2pix" else "2x resnet_9blocks + 2x basic",
        "image_size": SIZE,
        "batch_size": batch_size,
        "mode": "xla" if jit else "graph",
        "steps": steps,
        "images_per_s": round(steps * batch_size / fit_s, 3),
        "bare_images_per_s": round(steps * batch_size / bare_s, 3),
        "s_per_step": round(fit_s / steps, 3),
        "bare_s_per_step": round(bare_s / steps, 3),
        "overhead_pct": round(100 * (fit_s / bare_s - 1), 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default="pix2pix,cyclegan")
    parser.add_argument("--modes", default="graph,xla")
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    results = []
    for family in args.families.split(","):
        for mode in args.modes.split(","):
            row = measure(family, mode == "xla", args.batch_size, args.steps, args.warmup)
            print(json.dumps(row), flush=True)
            results.append(row)
    report = {"benchmark": "translation_throughput", "machine": machine_info(), "results": results}
    print_report(report, args.out)


if __name__ == "__main__":
    main()
