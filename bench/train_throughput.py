"""Training throughput of DCGAN and WGAN-GP: images/s, graph vs XLA, float32 vs mixed precision.

Prints JSON (and writes it with --out). One "image" is one real example consumed
by a generator step; WGAN-GP does 5 critic steps per generator step, as trained.

    python bench/train_throughput.py --steps 30 --out bench/out/train_throughput.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from machine import machine_info  # noqa: E402

from keras_gan.data import load_fashion_mnist  # noqa: E402
from keras_gan.metrics.fashion_classifier import preprocess_images  # noqa: E402
from keras_gan.models import DCGAN, WGANGP  # noqa: E402

FAMILIES = {"dcgan": DCGAN, "wgan_gp": WGANGP}


def measure(family, precision, jit, batch_size, steps, warmup):
    keras.mixed_precision.set_global_policy(precision)
    try:
        images, _ = load_fashion_mnist("train")
        batch = preprocess_images(images[:batch_size])
        data = tf.data.Dataset.from_tensors(batch).repeat()
        model = FAMILIES[family](latent_dim=100, image_size=28, channels=1, base_filters=64)
        model.compile(jit_compile=jit)
        model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0)
        started = time.perf_counter()
        model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0)
        seconds = time.perf_counter() - started
    finally:
        keras.mixed_precision.set_global_policy("float32")
    return {
        "family": family,
        "image_size": 28,
        "channels": 1,
        "batch_size": batch_size,
        "mode": "xla" if jit else "graph",
        "precision": precision,
        "steps": steps,
        "images_per_s": round(steps * batch_size / seconds, 1),
        "ms_per_step": round(1000 * seconds / steps, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default="dcgan,wgan_gp")
    parser.add_argument("--precisions", default="float32,mixed_bfloat16,mixed_float16")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    results = []
    for family in args.families.split(","):
        for precision in args.precisions.split(","):
            for jit in (False, True):
                row = measure(family, precision, jit, args.batch_size, args.steps, args.warmup)
                print(json.dumps(row), file=sys.stderr)
                results.append(row)
    report = {"benchmark": "train_throughput", "machine": machine_info(), "results": results}
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
    return report


if __name__ == "__main__":
    main()
