"""`FamilyTestCase`: the tests every registered family gets from its `tiny_config` alone.

As keras-hub's `run_task_test` and diffusers' `PipelineTesterMixin`: a family declares a
tiny configuration beside its model class, and these runners (parametrised over the
registry in `families_contract_test.py`) check the contract on it: registration,
`predict_images`, one `fit` on real images that moves every network with finite losses,
the export spec, and a `.keras` round trip loaded in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gan.registry import family_info
from keras_gan.testing.tiny_configs import tiny_config

_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")


def real_photos(size: int, n: int = 4, channels: int = 3) -> np.ndarray:
    """`n` real photos (scikit-image's samples) resized to `size`, float32 in [-1, 1]."""
    from skimage import data

    images = [getattr(data, name)() for name in _PHOTOS]
    batch = np.stack([tf.image.resize(image, (size, size), "area") for image in images])
    batch = batch[np.arange(n) % len(images)].astype("float32") / 127.5 - 1.0
    if channels == 1:
        batch = batch @ np.array([[0.299], [0.587], [0.114]], "float32")
    return batch


def fashion_batch(model, n: int = 8):
    """Real Fashion-MNIST images at the generator's size (and labels where it takes them)."""
    from keras_gan.testing.gan_test_case import fashion_mnist_batch

    images, labels = fashion_mnist_batch(n)
    height, width, channels = model.generator.output.shape[1:]
    images = tf.image.resize(images, (height, width)).numpy()
    if channels == 3:
        images = np.repeat(images, 3, axis=-1)
    return (images, labels) if model.num_classes else images


def training_batch(model):
    """One training batch of real data in the form the model's `train_step` takes."""
    kind = model.evaluation_kind
    if kind == "noise":
        return fashion_batch(model)
    side = int(model.image_size) if kind != "super_resolution" else 32
    own = model.example_batch(real_photos(side, 2))
    if own is not None:  # the family's own batch (label maps, ...)
        return own
    if kind == "paired":
        channels = (model.input_channels, model.output_channels)
        channels = channels if model.direction == "AtoB" else channels[::-1]
        photos = real_photos(side, 2)
        return real_photos(side, 2, channels[0]), photos[..., : channels[1]][:, :, ::-1]
    if kind == "unpaired":
        return (
            real_photos(side, 2, model.channels_a),
            real_photos(side, 4, model.channels_b)[2:],
        )
    if kind == "super_resolution":
        from keras_gan.data.super_resolution import downscale

        high = real_photos(side, 2)
        return np.asarray(downscale(high, model.scale), "float32"), high
    if kind == "multi_domain":  # (images, a domain index per image)
        return real_photos(side, 2), np.arange(2, dtype="int32") % model.num_domains
    return real_photos(side, 2)  # colorization and stylization train on photos


def prediction_input(model):
    """A fixed input for `predict_images`: noise-family kwargs, or real images."""
    if model.task == "image_generator":
        return {"n": 4, "seed": 7}
    batch = training_batch(model)
    own = model.example_inputs(batch)
    if own is not None:
        return own
    images = batch[0] if isinstance(batch, tuple) else batch
    if model.evaluation_kind == "colorization":
        return {"images": images[..., :1]}
    return {"images": images}


def predict(model, inputs: dict) -> np.ndarray:
    if "images" in inputs:
        return model.predict_images(inputs["images"])
    if "n" in inputs:
        return model.predict_images(inputs["n"], seed=inputs["seed"])
    return model.predict_images(**inputs)  # a family's own `example_inputs`


def tiny_model(family: str, **overrides) -> keras.Model:
    """The family's tiny model (style transfer gets its style images set)."""
    model = family_info(family).cls(**tiny_config(family, **overrides))
    if model.evaluation_kind == "stylization":
        model.set_style_images(list(real_photos(32, model.num_styles)))
    return model


def run_registration_test(family: str) -> None:
    """The registry entry agrees with the class, and the tiny config builds."""
    from keras_gan.evaluation.metric_names import KINDS
    from keras_gan.registry import TASKS

    info = family_info(family)
    assert info.task in TASKS and info.cls.task == info.task
    assert info.cls.evaluation_kind in KINDS, info.cls.evaluation_kind
    assert info.cls.tiny_config, f"{family} declares no tiny_config"
    assert info.cls.family_name == info.name
    model = tiny_model(family)
    assert model.count_params() < 2_000_000, model.count_params()


def run_task_test(family: str) -> keras.Model:
    """`predict_images` is deterministic and in range; one `fit` moves every network."""
    model = tiny_model(family)
    inputs = prediction_input(model)
    first = predict(model, inputs)
    assert first.dtype == np.float32 and np.all(np.isfinite(first))
    assert first.min() >= -1.0 - 1e-5 and first.max() <= 1.0 + 1e-5
    np.testing.assert_array_equal(first, predict(model, inputs))
    spec = model.export_spec()
    assert spec.kind == ("noise" if model.task == "image_generator" else "image")
    model.compile()
    # What this configuration trains (SR's pixel-loss phase trains no discriminator).
    if hasattr(model, "discriminator_variables"):
        networks = {"generator": model.generator_variables()}
        if getattr(model, "phase", "gan") != "psnr":
            networks["discriminator"] = model.discriminator_variables()
    else:
        networks = {"generator": model.generator.trainable_weights}
    before = {name: [np.array(w) for w in weights] for name, weights in networks.items()}
    batch = training_batch(model)
    dataset = tf.data.Dataset.from_tensors(batch).repeat(2)
    history = model.fit(dataset, epochs=1, verbose=0, shuffle=False)
    logs = {key: values[-1] for key, values in history.history.items()}
    assert logs and all(np.isfinite(v) for v in logs.values()), logs
    for name, weights in networks.items():
        moved = max(
            float(np.max(np.abs(a - np.array(b))))
            for a, b in zip(before[name], weights, strict=True)
        )
        assert moved > 0, f"{family}: the {name}'s weights did not change"
    return model


_LOAD_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import keras
    import keras_gan  # noqa: F401  (registers the families)
    from keras_gan.testing.family_test_case import predict

    folder = sys.argv[1]
    for entry in json.load(open(folder + "/cases.json")):
        model = keras.saving.load_model(entry["path"])
        assert type(model).__name__ == entry["class"], type(model).__name__
        inputs = dict(np.load(entry["inputs"], allow_pickle=False))
        inputs = {k: (v if v.ndim else v.item()) for k, v in inputs.items()}
        np.save(entry["output"], predict(model, inputs))
    """
)


def run_fresh_process_loading_test(models: dict[str, keras.Model], folder: Path) -> None:
    """Saves each model as `.keras`; a new Python process loads them and predicts the same."""
    folder = Path(folder)
    cases, expected = [], {}
    for family, model in models.items():
        inputs = prediction_input(model)
        np.savez(folder / f"{family}_inputs.npz", **inputs)
        model.save(folder / f"{family}.keras")
        expected[family] = predict(model, inputs)
        cases.append(
            {
                "path": str(folder / f"{family}.keras"),
                "class": type(model).__name__,
                "inputs": str(folder / f"{family}_inputs.npz"),
                "output": str(folder / f"{family}_output.npy"),
            }
        )
    (folder / "cases.json").write_text(json.dumps(cases))
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT, str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for family, output in expected.items():
        loaded = np.load(folder / f"{family}_output.npy")
        np.testing.assert_allclose(loaded, output, atol=1e-5, err_msg=family)
