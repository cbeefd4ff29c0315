"""One training run: data -> model -> fit with callbacks -> RUN_DIR/model.keras.

The CLI's `train` command is a thin wrapper around `train_run`; everything it
does can be done from Python with the same arguments.
"""

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import keras
import tensorflow as tf

from keras_gan.callbacks import (
    GANCheckpoint,
    RunMetricsLog,
    SampleGrid,
    StopOnNonFiniteLoss,
    TensorBoardImages,
    load_checkpoint,
)
from keras_gan.data import class_folder_dataset, fashion_mnist_dataset, image_folder_dataset
from keras_gan.models import PHOTO_FAMILIES, TRANSLATION_FAMILIES, get_family

STRATEGIES = ("default", "mirrored", "multi_worker")
FASHION_MNIST = "fashion-mnist"


def make_strategy(name: str) -> tf.distribute.Strategy:
    """`default` (one device), `mirrored` (all local devices) or `multi_worker` (TF_CONFIG)."""
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multi_worker":
        if "TF_CONFIG" not in os.environ:
            raise ValueError("--strategy multi_worker needs the TF_CONFIG environment variable.")
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"Unknown strategy {name!r}. Expected one of {STRATEGIES}.")


def _is_fashion_mnist(data: str) -> bool:
    if data.lower().replace("_", "-") == FASHION_MNIST:
        return True
    path = Path(data)
    return path.is_dir() and any(path.glob("train-images-idx3-ubyte*"))


def make_dataset(
    data: str,
    image_size: int,
    channels: int,
    batch_size: int,
    conditional: bool,
    seed: int = 0,
) -> tf.data.Dataset:
    """Fashion-MNIST (`fashion-mnist` or its idx folder) or an image folder.

    Conditional families read one subfolder per class and get (images, labels).
    """
    if _is_fashion_mnist(data):
        if channels != 1:
            raise ValueError(
                f"Fashion-MNIST is grayscale: channels must be 1. Received: {channels}"
            )
        data_dir = None if data.lower().replace("_", "-") == FASHION_MNIST else data
        return fashion_mnist_dataset(
            "train",
            batch_size=batch_size,
            image_size=image_size,
            with_labels=conditional,
            seed=seed,
            data_dir=data_dir,
        )
    if conditional:
        dataset, _ = class_folder_dataset(
            data, image_size, channels=channels, batch_size=batch_size, seed=seed
        )
        return dataset
    return image_folder_dataset(
        data, image_size, channels=channels, batch_size=batch_size, seed=seed
    )


@dataclass
class TrainResult:
    model: keras.Model
    run_dir: Path
    history: dict = field(default_factory=dict)
    epochs_done: int = 0
    stopped_reason: str | None = None
    seconds: float = 0.0
    held_out: dict = field(default_factory=dict)


def build_model(family, preset, model_kwargs):
    cls = get_family(family)
    if preset:
        return cls.from_preset(preset, **model_kwargs)
    return cls(**model_kwargs)


def train_run(
    family: str,
    data: str,
    run_dir: str | os.PathLike,
    preset: str | None = None,
    epochs: int = 1,
    steps: int | None = None,
    batch_size: int = 64,
    image_size: int | None = None,
    channels: int | None = None,
    strategy: str = "default",
    mixed_precision: str | None = None,
    resume: bool = False,
    seed: int = 0,
    jit_compile: bool = False,
    model_kwargs: dict | None = None,
    verbose: int | str = "auto",
    n_epochs: int | None = None,
    n_epochs_decay: int | None = None,
    eval_every: int = 0,
    eval_metrics: tuple[str, ...] = ("frechet",),
    eval_samples: int = 1000,
) -> TrainResult:
    """Trains a family and writes RUN_DIR/{model.keras, checkpoints/, samples/, metrics.csv, tensorboard/}.

    Args:
        family: a family name (`dcgan`, `wgan_gp`, `cgan`, ...).
        data: `fashion-mnist`, Fashion-MNIST's idx folder, or an image folder
            (one subfolder per class for conditional families).
        preset: start from a preset configuration instead of the family defaults.
        steps: steps per epoch (default: the whole data set).
        image_size, channels: override the model's (defaults: the preset's, or
            28 x 28 x 1 for Fashion-MNIST).
        strategy: `default`, `mirrored` or `multi_worker`.
        mixed_precision: `mixed_float16` or `mixed_bfloat16`.
        resume: continue from RUN_DIR/checkpoints (epoch, optimizer state, EMA)
            up to `epochs` in all, as if the run had never stopped.
        eval_every: noise-to-image families: every `eval_every` epochs, score
            `eval_samples` samples against held-out real images (Fashion-MNIST's test
            split, or images of the data folder) with `eval_metrics` (`frechet`, `kid`,
            `inception_score`; features as `keras-gan eval` picks them), logged as
            `val_<metric>` in metrics.csv and TensorBoard. 0: never.
        n_epochs, n_epochs_decay: Pix2Pix and CycleGAN: epochs at the initial
            learning rate and epochs of linear decay (the reference's schedule;
            by default the second half of `epochs` decays).

    Pix2Pix reads a paired folder (aligned A|B files, or `A/` and `B/`; with
    `train/` and `test/` splits the test split is held out), CycleGAN an
    unpaired one (`trainA/ trainB/`, held out: `testA/ testB/`). Their runs
    report the held-out L1 (or cycle error) before and after training in
    `run.json`.
    """
    if get_family(family) in PHOTO_FAMILIES.values():
        raise ValueError(
            f"`keras-gan train` does not train {family} yet: use model.fit on "
            "keras_gan.data.photo_crop_dataset / super_resolution_dataset, or "
            "scripts/train_mobile_presets.py."
        )
    if eval_every and get_family(family) in TRANSLATION_FAMILIES.values():
        raise ValueError(
            f"--eval-every is for noise-to-image families, not {family}: its run reports the "
            "held-out error in run.json; score a saved model with `keras-gan eval`."
        )
    if eval_every < 0:
        raise ValueError(f"eval_every must be >= 0. Received: {eval_every}")
    if get_family(family) in TRANSLATION_FAMILIES.values():
        from keras_gan.translation_training import train_translation_run

        return train_translation_run(
            family,
            data,
            run_dir,
            preset=preset,
            epochs=epochs,
            steps=steps,
            batch_size=batch_size,
            image_size=image_size,
            channels=channels,
            strategy=strategy,
            mixed_precision=mixed_precision,
            resume=resume,
            seed=seed,
            jit_compile=jit_compile,
            model_kwargs=model_kwargs,
            verbose=verbose,
            n_epochs=n_epochs,
            n_epochs_decay=n_epochs_decay,
        )
    started = time.time()
    run_dir = Path(run_dir)
    if mixed_precision:
        keras.mixed_precision.set_global_policy(mixed_precision)
    distribution = make_strategy(strategy)
    if strategy == "multi_worker":
        task = json.loads(os.environ["TF_CONFIG"]).get("task", {})
        if task.get("index", 0) != 0:
            # Only the chief writes RUN_DIR; the other workers keep their own copy.
            run_dir = run_dir / f"worker_{task['index']}"
    model_kwargs = dict(model_kwargs or {})
    if image_size is not None:
        model_kwargs["image_size"] = image_size
    if channels is not None:
        model_kwargs["channels"] = channels
    if _is_fashion_mnist(data) and not preset:
        model_kwargs.setdefault("image_size", 28)
        model_kwargs.setdefault("channels", 1)
    initial_epoch = 0
    with distribution.scope():
        if resume:
            model, initial_epoch = load_checkpoint(run_dir / "checkpoints")
        else:
            model = build_model(family, preset, model_kwargs)
            model.compile(jit_compile=jit_compile)
    dataset = make_dataset(
        data,
        model.generator.output.shape[1],
        model.generator.output.shape[-1],
        batch_size,
        conditional=bool(model.num_classes),
        seed=seed,
    )
    check_resume(initial_epoch, epochs, run_dir)
    evaluation = (
        [_quality_evaluation(model, data, eval_every, eval_metrics, eval_samples)]
        if eval_every
        else []
    )
    return fit_and_record(
        model,
        dataset.repeat() if steps else dataset,
        run_dir,
        epochs,
        initial_epoch,
        steps,
        SampleGrid(run_dir / "samples", n=_grid_size(model), seed=seed),
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
        evaluation=evaluation,
    )


def _quality_evaluation(model, data, every: int, metrics, samples: int):
    """`QualityEvaluation` of a noise-to-image model against held-out real images."""
    from keras_gan.callbacks.quality_evaluation import QualityEvaluation
    from keras_gan.evaluation import check_metrics, default_features, load_evaluation_data

    data = "fashion-mnist" if _is_fashion_mnist(data) else str(data)
    return QualityEvaluation(
        load_evaluation_data(model, data, limit=samples),
        metrics=check_metrics(metrics),
        every_n_epochs=every,
        num_samples=samples,
        feature_extractor=default_features(model),
    )


def check_resume(initial_epoch: int, epochs: int, run_dir: Path) -> None:
    if initial_epoch >= epochs:
        raise ValueError(
            f"Nothing to resume: the checkpoint in {run_dir} already has {initial_epoch} of "
            f"{epochs} epochs. Raise --epochs to train longer."
        )


def fit_and_record(
    model,
    dataset,
    run_dir: Path,
    epochs: int,
    initial_epoch: int,
    steps: int | None,
    sample_callback,
    resume: bool,
    verbose,
    started: float,
    info: dict,
    after_fit=None,
    evaluation: list | None = None,
) -> TrainResult:
    """Fits with the run's callbacks, saves RUN_DIR/model.keras and writes run.json.

    `after_fit(model)` may return extra fields for the result and run.json; `evaluation`
    callbacks add held-out scores to the logs before they are written.
    """
    guard = StopOnNonFiniteLoss()
    callbacks = [
        guard,
        GANCheckpoint(run_dir / "checkpoints"),
        sample_callback,
        *(evaluation or []),
        RunMetricsLog(
            run_dir / "metrics.csv",
            append=resume,
            expected_keys=[key for callback in evaluation or [] for key in callback.log_keys],
        ),
        # `tensorboard --logdir RUN_DIR/tensorboard`: epoch scalars and the sample sheets.
        keras.callbacks.TensorBoard(str(run_dir / "tensorboard"), write_graph=False),
        TensorBoardImages(sample_callback, run_dir / "tensorboard"),
    ]
    run_dir.mkdir(parents=True, exist_ok=True)
    history = model.fit(
        dataset,
        epochs=epochs,
        initial_epoch=initial_epoch,
        steps_per_epoch=steps,
        callbacks=callbacks,
        verbose=verbose,
    )
    if guard.message is None:
        model.save(run_dir / "model.keras")
    extra = after_fit(model) if after_fit else {}
    epochs_done = initial_epoch + len(history.history.get("g_loss", []))
    result = TrainResult(
        model=model,
        run_dir=run_dir,
        history=history.history,
        epochs_done=epochs_done,
        stopped_reason=guard.message,
        seconds=time.time() - started,
        **extra,
    )
    record = {
        **info,
        "epochs_done": epochs_done,
        "steps_per_epoch": steps,
        "stopped_reason": guard.message,
        "seconds": round(result.seconds, 1),
        **extra,
    }
    (run_dir / "run.json").write_text(json.dumps(record, indent=2))
    return result


def _grid_size(model) -> int:
    columns = model.grid_columns()
    return columns * 8 if columns else 64
