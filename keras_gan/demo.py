"""The main job end to end on data that installs offline: `keras-gan demo` / `make demo`.

Train a small DCGAN on Fashion-MNIST for a couple of minutes (a sample grid per epoch),
reload the saved model and check that it draws the same samples; then export it and the
shipped super-resolution preset as TF-Serving SavedModels, start `keras-gan serve`,
query both over gRPC (and REST) with latents and a real held-out photo, write the
served image, stop the server and print a summary (latency, parity).
"""

import json
import time
from pathlib import Path

import keras
import numpy as np

from keras_gan.training import train_run
from keras_gan.utils import save_image_grid


def run_demo(
    out: str | Path = "runs/demo",
    epochs: int = 6,
    steps: int = 200,
    batch_size: int = 64,
    seed: int = 0,
    serve: bool = True,
) -> dict:
    """Trains DCGAN on Fashion-MNIST and returns (and prints) a summary dict."""
    out = Path(out)
    started = time.time()
    result = train_run(
        "dcgan",
        "fashion-mnist",
        out,
        preset="dcgan_fashion_mnist_28",
        epochs=epochs,
        steps=steps,
        batch_size=batch_size,
        seed=seed,
        model_kwargs={"seed": seed, "ema_decay": 0.99},
    )
    if result.stopped_reason:
        raise RuntimeError(result.stopped_reason)
    model_path = out / "model.keras"
    reloaded = keras.saving.load_model(model_path)
    same = bool(np.array_equal(result.model.generate(16, seed=1), reloaded.generate(16, seed=1)))
    grid = save_image_grid(reloaded.generate(64, seed=seed), out / "samples.png", 8, scale=3)
    summary = {
        "family": "dcgan",
        "data": "Fashion-MNIST (60,000 training images)",
        "steps": epochs * steps,
        "batch_size": batch_size,
        "final_d_loss": round(float(result.history["d_loss"][-1]), 4),
        "final_g_loss": round(float(result.history["g_loss"][-1]), 4),
        "train_seconds": round(result.seconds, 1),
        "model": str(model_path),
        "sample_grid": str(grid),
        "reloaded_model_draws_same_samples": same,
    }
    if serve:
        from keras_gan.demo_serving import serve_and_query

        summary["serving"] = serve_and_query(out, reloaded)
    summary["total_seconds"] = round(time.time() - started, 1)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print("\nkeras-gan demo summary")
    for key, value in summary.items():
        if isinstance(value, dict):
            for inner, item in value.items():
                print(f"  {key + '.' + inner:36s} {item}")
        else:
            print(f"  {key:36s} {value}")
    if not same:
        raise RuntimeError("The reloaded model does not reproduce the trained model's samples.")
    served = summary.get("serving", {})
    for key in ("sr_served_vs_keras_max_level_diff", "dcgan_served_vs_keras_max_level_diff"):
        if served.get(key, 0) > 1:
            raise RuntimeError(
                f"The served model differs from the Keras model: {key}={served[key]}"
            )
    return summary
