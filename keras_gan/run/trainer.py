"""`train`: the one run path of every family (`keras-gan train`).

data -> the family's `run_data` -> `fit` with the run's callbacks -> RUN_DIR/model.keras
and run.json. What differs per family comes from its task hooks (`run_model_kwargs`,
`run_data`, `run_compile`, `held_out_scores`, `sample_callback`, `evaluation_callbacks`);
every run feature (resume, strategies, chief-only writes, mixed precision, held-out
scores, TensorBoard, samples) is written here once.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import keras
import tensorflow as tf

from keras_gan.callbacks import (
    GANCheckpoint,
    RunMetricsLog,
    StopOnNonFiniteLoss,
    TensorBoardImages,
    load_checkpoint,
)
from keras_gan.registry import family_info, family_of
from keras_gan.run.config import RunConfig


@dataclasses.dataclass
class TrainResult:
    """What a run did: the trained model, where it wrote, and how it scored."""

    model: keras.Model
    run_dir: Path
    history: dict = dataclasses.field(default_factory=dict)
    epochs_done: int = 0
    stopped_reason: str | None = None
    seconds: float = 0.0
    held_out: dict = dataclasses.field(default_factory=dict)


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
    raise ValueError(f"Unknown strategy {name!r}.")


def worker_run_dir(run_dir: Path, strategy: str, tf_config: str | None) -> tuple[Path, bool]:
    """`(directory this process writes, whether it is the chief)`.

    Only the chief (task index 0, or a `chief` task) writes RUN_DIR; every other worker
    of a `multi_worker` run writes into a temporary folder outside it, which it deletes
    at the end, as TensorFlow's multi-worker guide recommends.
    """
    if strategy != "multi_worker" or not tf_config:
        return run_dir, True
    task = json.loads(tf_config).get("task", {})
    if task.get("type", "worker") == "chief" or (
        task.get("type", "worker") == "worker"
        and int(task.get("index", 0)) == 0
        and "chief" not in json.loads(tf_config).get("cluster", {})
    ):
        return run_dir, True
    return Path(tempfile.mkdtemp(prefix=f"keras_gan_{task.get('type')}{task.get('index')}_")), False


def fit_verbosity(verbose: int | str) -> int | str:
    """`"auto"`: a progress bar on a terminal, one line per epoch in a log file or pipe."""
    if verbose != "auto":
        return verbose
    return "auto" if sys.stdout.isatty() else 2


def build_model(spec: str, config: RunConfig, data: str) -> keras.Model:
    """The family (or preset) `spec`, with the run's flags applied to its constructor."""
    from keras_gan.models import all_presets

    presets = all_presets()
    if config.preset is None and spec in presets:
        config.preset = spec
    if config.preset is not None:
        if config.preset not in presets:
            raise ValueError(
                f"Unknown preset {config.preset!r}. Presets: {sorted(presets)} "
                "(`keras-gan presets` lists them)."
            )
        cls = presets[config.preset]
        if spec != config.preset and family_info(spec).cls is not cls:
            raise ValueError(f"Preset {config.preset!r} is a {cls.__name__} preset, not {spec}'s.")
    else:
        cls = family_info(spec).cls
    kwargs = {**cls.run_model_kwargs(data, config), **config.model_kwargs}
    if config.preset is not None:
        model = cls.from_preset(config.preset, load_weights=not config.from_scratch, **kwargs)
    else:
        model = cls(**kwargs)
    if config.init_weights:
        load_generator_weights(model, config.init_weights)
    return model


def load_generator_weights(model, path: str | os.PathLike) -> None:
    """Copies the generator weights of a `.keras` model (or a `.weights.h5` file) into `model`."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No weights at {path} (--init-weights).")
    if path.suffix == ".keras":
        from keras_gan.models.preset_loading import load_saved_model

        source = load_saved_model(path).generator
        if len(source.weights) != len(model.generator.weights):
            raise ValueError(
                f"--init-weights {path}: its generator has {len(source.weights)} weight "
                f"tensors, this model's {len(model.generator.weights)}: not the same network."
            )
        model.generator.set_weights(source.get_weights())
    else:
        model.generator.load_weights(path)


def train(spec: str, data: str | os.PathLike, run_dir: str | os.PathLike, config=None):
    """Trains a family (or a preset) and writes RUN_DIR.

    RUN_DIR gets `model.keras`, `checkpoints/` (resumable), `metrics.csv`, `tensorboard/`,
    `samples/epoch_NNNN.png` and `run.json` (the settings, the epochs done, and the
    held-out scores before and after training with the family's baseline).

    Args:
        spec: a family name (`keras-gan families`) or a preset name (`keras-gan presets`).
        data: what the family reads (`keras-gan train --help` lists it per family).
        run_dir: the run directory.
        config: a `RunConfig` (the `keras-gan train` flags).

    Returns:
        A `TrainResult`.
    """
    config = dataclasses.replace(config) if config else RunConfig()  # ours to fill in
    started = time.time()
    data = os.fspath(data)
    if not os.path.exists(data) and data.lower().replace("_", "-") != "fashion-mnist":
        raise FileNotFoundError(f"No data at {data!r}.")
    if config.mixed_precision:
        keras.mixed_precision.set_global_policy(config.mixed_precision)
    strategy = make_strategy(config.strategy)
    run_dir, chief = worker_run_dir(Path(run_dir), config.strategy, os.environ.get("TF_CONFIG"))
    initial_epoch = 0
    with strategy.scope():
        if config.resume:
            model, initial_epoch = load_checkpoint(run_dir / "checkpoints")
            if initial_epoch >= config.epochs:
                raise ValueError(
                    f"Nothing to resume: the checkpoint in {run_dir} already has "
                    f"{initial_epoch} of {config.epochs} epochs. Raise --epochs to train longer."
                )
        else:
            model = build_model(spec, config, data)
        run = model.run_data(data, config)
        if not config.resume:
            model.run_compile(config, run.steps_per_epoch or _steps_of(run.train))
    evaluation = model.evaluation_callbacks(data, config, run) if config.eval_every else []
    held_out = {}
    if run.held_out is not None:
        held_out = {"split": run.held_out_split, "examples": _count(run.held_out)}
        if not config.resume:
            held_out["before"] = model.held_out_scores(run.held_out)
    else:
        why = (
            "noise families are scored against held-out images with --eval-every"
            if model.task == "image_generator"
            else f"{data} has no held-out split (train/ and test/ or val/ folders)"
        )
        held_out = {"split": None, "why": why}
    sample_callback = model.sample_callback(run_dir / "samples", run.examples, seed=config.seed)
    guard = StopOnNonFiniteLoss()
    callbacks = [
        guard,
        GANCheckpoint(run_dir / "checkpoints"),
        sample_callback,
        *evaluation,
        RunMetricsLog(
            run_dir / "metrics.csv",
            append=config.resume,
            expected_keys=[key for callback in evaluation for key in callback.log_keys],
        ),
        # `tensorboard --logdir RUN_DIR/tensorboard`: epoch scalars and the sample sheets.
        keras.callbacks.TensorBoard(str(run_dir / "tensorboard"), write_graph=False),
        TensorBoardImages(sample_callback, run_dir / "tensorboard"),
    ]
    run_dir.mkdir(parents=True, exist_ok=True)
    history = model.fit(
        run.train,
        epochs=config.epochs,
        initial_epoch=initial_epoch,
        steps_per_epoch=run.steps_per_epoch,
        callbacks=callbacks,
        verbose=fit_verbosity(config.verbose),
        shuffle=False,  # the family's data set shuffles; Keras would warn that it cannot
    )
    finished = model.finish_run(run) if guard.message is None else None
    if guard.message is None:
        model.save(run_dir / "model.keras")
    if run.held_out is not None:
        held_out["after"] = model.held_out_scores(run.held_out)
    epochs_done = initial_epoch + len(next(iter(history.history.values()), []))
    result = TrainResult(
        model=model,
        run_dir=run_dir,
        history=history.history,
        epochs_done=epochs_done,
        stopped_reason=guard.message,
        seconds=time.time() - started,
        held_out=held_out,
    )
    record = {
        "family": family_of(model).name,
        "preset": config.preset,
        "data": data,
        "strategy": config.strategy,
        "replicas": strategy.num_replicas_in_sync,
        "mixed_precision": config.mixed_precision,
        "epochs_done": epochs_done,
        "steps_per_epoch": run.steps_per_epoch,
        "batch_size": config.batch_size,
        "seed": config.seed,
        "stopped_reason": guard.message,
        "seconds": round(result.seconds, 1),
        "held_out": held_out,
    }
    if finished is not None:
        record["finish"] = finished
    (run_dir / "run.json").write_text(json.dumps(record, indent=2) + "\n")
    if not chief:
        import shutil

        shutil.rmtree(run_dir, ignore_errors=True)
    return result


def _steps_of(dataset: tf.data.Dataset) -> int:
    """Batches in one pass of a finite dataset (for schedules); 1 if unknown."""
    count = int(dataset.cardinality())
    return count if count > 0 else 1


def _count(held_out) -> int:
    """Examples in held-out data: a list of photos, an (a, b) pair of arrays, or batches."""
    if isinstance(held_out, tf.data.Dataset):
        return int(sum(int(tf.shape(batch)[0]) for batch in held_out))
    if isinstance(held_out, tuple):
        return len(held_out[0])
    return len(held_out)
