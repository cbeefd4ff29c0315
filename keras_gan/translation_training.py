"""Data, optimizers and held-out evaluation for the image-to-image families' runs.

`training.train_run` calls these when the family is Pix2Pix or CycleGAN: the
data folder is paired (aligned A|B files, or `A/` + `B/`, optionally under
`train/` and `test/`) or unpaired (`trainA/ trainB/ testA/ testB/`); the
optimizers follow the reference's linear schedule; the run is judged on the
held-out split, before and after training.
"""

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_gan.callbacks import TranslationGrid, load_checkpoint
from keras_gan.data import (
    paired_dataset,
    paired_examples,
    paired_files,
    unpaired_dataset,
    unpaired_examples,
)
from keras_gan.data.image_files import list_image_files
from keras_gan.models.adversarial_model import adam
from keras_gan.models.cyclegan import CycleGAN
from keras_gan.schedules import LinearDecay
from keras_gan.training import (
    TrainResult,
    build_model,
    check_resume,
    fit_and_record,
    make_strategy,
)

HELD_OUT_SPLITS = ("test", "val")
# Held-out examples are read into memory: at most this many files per split.
_READ_LIMIT = 1024


@dataclass
class TranslationData:
    train: tf.data.Dataset
    examples_per_epoch: int
    held_out: tuple[np.ndarray, np.ndarray] | None
    held_out_name: str | None
    samples: tuple[np.ndarray, np.ndarray]


def channels_of(model) -> tuple[int, int]:
    """The (A, B) channels a model trains on."""
    if isinstance(model, CycleGAN):
        return model.channels_a, model.channels_b
    pair = (model.input_channels, model.output_channels)
    return pair if model.direction == "AtoB" else pair[::-1]


def _paired_split(data: str) -> tuple[str | None, str | None]:
    """(train split, held-out split) of a paired folder: `train/` + `test/` or flat."""
    if not os.path.isdir(os.path.join(data, "train")):
        return None, None
    held_out = next((s for s in HELD_OUT_SPLITS if os.path.isdir(os.path.join(data, s))), None)
    return "train", held_out


def _unpaired_held_out(data: str) -> str | None:
    return next(
        (
            s
            for s in HELD_OUT_SPLITS
            if all(os.path.isdir(os.path.join(data, f"{s}{x}")) for x in "AB")
        ),
        None,
    )


def _spread(pair, limit: int):
    """At most `limit` examples evenly spaced over the set (crops of every photo)."""
    a, b = pair
    n = min(len(a), len(b))
    index = np.unique(np.linspace(0, n - 1, min(n, limit)).round().astype(int)) if n else []
    return a[index], b[index]


def translation_data(
    model, data: str, batch_size: int, seed: int, held_out_limit: int = 128, samples: int = 6
) -> TranslationData:
    """The training set, the held-out examples and the sample-sheet examples of a run."""
    data = os.fspath(data)
    channels = channels_of(model)
    size, load = model.image_size, model.load_size
    if isinstance(model, CycleGAN):
        train = unpaired_dataset(
            data, "train", size, load, channels, batch_size, augment=True, seed=seed
        )
        count = max(len(list_image_files(os.path.join(data, f"train{x}"))) for x in "AB")
        held_name = _unpaired_held_out(data)
        held_out = (
            _spread(unpaired_examples(data, held_name, size, channels, _READ_LIMIT), held_out_limit)
            if held_name
            else None
        )
        sample_source = held_out or _spread(
            unpaired_examples(data, "train", size, channels, _READ_LIMIT), samples
        )
    else:
        split, held_name = _paired_split(data)
        train = paired_dataset(
            data, size, load, channels, batch_size, augment=True, seed=seed, split=split
        )
        count = len(paired_files(data, split))
        held_out = (
            _spread(
                paired_examples(data, size, channels, limit=_READ_LIMIT, split=held_name),
                held_out_limit,
            )
            if held_name
            else None
        )
        sample_source = held_out or paired_examples(
            data, size, channels, limit=samples, split=split
        )
    return TranslationData(
        train=train,
        examples_per_epoch=count,
        held_out=held_out,
        held_out_name=held_name,
        samples=_spread(sample_source, samples),
    )


def linear_decay_optimizers(
    steps_per_epoch: int,
    epochs: int,
    n_epochs: int | None,
    n_epochs_decay: int | None,
    learning_rate: float = 2e-4,
):
    """Adam(lr, 0.5) pairs on the reference schedule; by default half the epochs decay."""
    if n_epochs is None and n_epochs_decay is None:
        n_epochs = math.ceil(epochs / 2)
    if n_epochs is None:
        n_epochs = max(0, epochs - n_epochs_decay)
    if n_epochs_decay is None:
        n_epochs_decay = max(0, epochs - n_epochs)
    return tuple(
        adam(LinearDecay(learning_rate, n_epochs, n_epochs_decay, steps_per_epoch))
        for _ in range(2)
    )


def held_out_error(model, held_out, batch_size: int = 4) -> dict:
    """The held-out figure a run is judged by: L1 (Pix2Pix) or cycle error (CycleGAN)."""
    a, b = held_out
    data = tf.data.Dataset.from_tensor_slices((a, b)).batch(batch_size)
    logs = model.evaluate(data, verbose=0, return_dict=True)
    if isinstance(model, CycleGAN):
        value = 0.5 * (logs["cycle_a"] + logs["cycle_b"])
        return {"metric": "cycle_l1", "value": float(value)}
    result = {"metric": "l1", "value": float(logs["l1"])}
    if model.input_channels == model.output_channels:
        # What copying the input would score: the bar a useful model must pass.
        source, target = (a, b) if model.direction == "AtoB" else (b, a)
        result["copy_input"] = float(np.mean(np.abs(source - target)))
    return result


def _model_kwargs(family: str, model_kwargs, image_size, channels) -> dict:
    model_kwargs = dict(model_kwargs or {})
    if image_size is not None:
        model_kwargs["image_size"] = image_size
        model_kwargs.setdefault("load_size", max(image_size, round(image_size * 286 / 256)))
    if channels is not None:
        cyclegan = family.lower() == "cyclegan"
        keys = ("channels_a", "channels_b") if cyclegan else ("input_channels", "output_channels")
        model_kwargs.update(dict.fromkeys(keys, channels))
    return model_kwargs


def train_translation_run(
    family: str,
    data: str,
    run_dir,
    preset: str | None = None,
    epochs: int = 1,
    steps: int | None = None,
    batch_size: int = 1,
    image_size: int | None = None,
    channels: int | None = None,
    strategy: str = "default",
    mixed_precision: str | None = None,
    resume: bool = False,
    seed: int = 0,
    jit_compile: bool = False,
    model_kwargs: dict | None = None,
    verbose="auto",
    n_epochs: int | None = None,
    n_epochs_decay: int | None = None,
) -> TrainResult:
    """`train_run` for Pix2Pix and CycleGAN: see its docstring."""
    started = time.time()
    run_dir = Path(run_dir)
    if mixed_precision:
        keras.mixed_precision.set_global_policy(mixed_precision)
    distribution = make_strategy(strategy)
    initial_epoch = 0
    with distribution.scope():
        if resume:
            model, initial_epoch = load_checkpoint(run_dir / "checkpoints")
        else:
            kwargs = _model_kwargs(family, model_kwargs, image_size, channels)
            model = build_model(family, preset, kwargs)
    check_resume(initial_epoch, epochs, run_dir)
    sets = translation_data(model, data, batch_size, seed)
    steps_per_epoch = steps or max(1, sets.examples_per_epoch // batch_size)
    if not resume:
        with distribution.scope():
            optimizers = linear_decay_optimizers(steps_per_epoch, epochs, n_epochs, n_epochs_decay)
            model.compile(*optimizers, jit_compile=jit_compile)
    held_out = {}
    if sets.held_out is not None:
        held_out = {"split": sets.held_out_name, "examples": len(sets.held_out[0])}
        if not resume:
            held_out["before"] = held_out_error(model, sets.held_out)

    def held_out_after(trained):
        if sets.held_out is not None:
            held_out["after"] = held_out_error(trained, sets.held_out)
        return {"held_out": held_out}

    return fit_and_record(
        model,
        sets.train.repeat(),
        run_dir,
        epochs,
        initial_epoch,
        steps_per_epoch,
        TranslationGrid(run_dir / "samples", *sets.samples, scale=max(1, 128 // model.image_size)),
        resume,
        verbose,
        started,
        {
            "family": family,
            "preset": preset,
            "data": str(data),
            "strategy": strategy,
            "replicas": distribution.num_replicas_in_sync,
            "mixed_precision": mixed_precision,
        },
        after_fit=held_out_after,
    )
