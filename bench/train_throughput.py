"""Training throughput of every family: images/s per mode and precision, and our `fit`'s overhead.

Every family in `keras_gan.models.FAMILIES` trains from its preset's configuration
(untrained, `load_weights=False`) on one fixed batch repeated, so the figures are
the training step's, not the input pipeline's:

- noise-to-image families (`NOISE_FAMILIES`): `<family>_fashion_mnist_28` on
  Fashion-MNIST 28x28x1, batch 64 (CGAN and ACGAN with the labels);
- Pix2Pix `pix2pix_photo_pairs_128` (grayscale -> colour crops, 128 px), CycleGAN
  `cyclegan_fashion_32`'s networks on unpaired RGB 64 px crops (batch 1, the
  reference's), Colorizer `colorizer_photos_128` on 128 px crops, StyleTransfer
  `style_transfer_starry_night_mobile` on 64 px crops (The Starry Night, ImageNet
  VGG16 from `$KERAS_GAN_CACHE_DIR`), SRGAN `srgan_photos_x4` and ESRGAN
  `esrgan_photos_x4` on 64 px high-res crops (16 px low-res) in both phases (`gan`:
  with the VGG16 perceptual loss; `psnr`: L1 only); batch 4 (CycleGAN 1), crops of
  photos (`--photos`, default scikit-image's bundled photos).

Modes: `eager` (`compile(run_eagerly=True)`), `graph` (the default `tf.function`)
and `xla` (`jit_compile=True`), in float32; `mixed_bfloat16` and `mixed_float16` in
graph mode only (`--precisions auto`: float16 only on a GPU, as a CPU has no fast
float16 kernels; a row says so). A combination that fails is recorded with
`"skipped"` and the error's first line. One image is one example of the batch per
generator step (WGAN and WGAN-GP do 5 critic steps per generator step, as trained).
Each configuration is warmed up (`--warmup` steps, tracing or compiling included),
then timed over `--steps` steps, fewer where one step takes long enough that the run
would pass `--max-seconds` (eager, XLA and float16 on a CPU).

Overhead: in `--overhead-modes` (auto: graph and XLA on a GPU, graph on a CPU, where
XLA steps are slower and compiling twice is most of the run), each family's `model.fit`
is timed against a bare loop calling `tf.function(model.train_step)` (with
`jit_compile` for XLA) on the same model, data and number of steps, the data iterator
outside the step as Keras does; `fit_overhead_pct = 100 * (bare / fit - 1)` in
images/s (target: <= 5 %) over runs of at least `--overhead-seconds`, one `fit` call
each, so what a call costs once (data iterator, callbacks, epoch-end logs) counts in;
the bare loop also makes and drops a fresh iterator per run, as `fit` does. The data
is one batch repeated, with tf.data autotuning off: with it on, dropping an iterator
waits for the autotuner's next wake-up (at 10 * (2**k - 1) ms), which stretched runs to
those times and swamped the 5 % measured here (`make_data`). Each is the best of `--overhead-repeats` runs, fit and
bare alternating which goes first: on 2 shared CPU cores one run of the same loop can
take 50 % longer than the next. (Timing N and 2N steps to split the per-call cost from
the per-step cost was tried: the difference was dominated by that noise.)
`--steps-per-execution N` adds rows with `fit` running N steps per call.

Prints JSON (and writes it with --out); a progress line per configuration on stderr:

    python bench/train_throughput.py --out bench/out/train_throughput.json
    python bench/train_throughput.py --quick --families dcgan,srgan   # smoke check
    python bench/train_throughput.py --device gpu --strategy mirrored
"""

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # TensorFlow's INFO lines off stderr

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from machine import machine_info, print_report  # noqa: E402

from keras_gan.data import (  # noqa: E402
    load_fashion_mnist,
    photo_crop_dataset,
    super_resolution_dataset,
)
from keras_gan.data.pipeline import prefetch  # noqa: E402
from keras_gan.models import FAMILIES, NOISE_FAMILIES  # noqa: E402

MODES = ("eager", "graph", "xla")
PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")
SKIMAGE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket")
CPU_FLOAT16_NOTE = (
    "not timed on a CPU by default: TensorFlow runs float16 convolutions there without "
    "oneDNN (10-20x slower than float32 in smoke runs); --precisions mixed_float16 times it"
)


@dataclass(frozen=True)
class Case:
    """One family (and phase) to time: its preset, overrides and data."""

    family: str
    preset: str
    data: str  # fashion, pairs, unpaired, super_resolution or photos
    image_size: int
    batch_size: int
    overrides: dict = field(default_factory=dict)
    phase: str | None = None


def cases(sr_phases: list[str]) -> list[Case]:
    """Every family's case, in `FAMILIES` order; SRGAN and ESRGAN once per phase."""
    noise = [Case(name, f"{name}_fashion_mnist_28", "fashion", 28, 64) for name in NOISE_FAMILIES]
    photo = [
        Case("pix2pix", "pix2pix_photo_pairs_128", "pairs", 128, 4),
        # The small shipped networks (resnet_6blocks, 32 filters) on RGB, batch 1 as the
        # reference: the reference's resnet_9blocks takes minutes per mode here.
        Case(
            "cyclegan",
            "cyclegan_fashion_32",
            "unpaired",
            64,
            1,
            {"channels_a": 3, "channels_b": 3, "image_size": 64, "load_size": 64},
        ),
        *(
            Case(family, f"{family}_photos_x4", "super_resolution", 64, 4, {"phase": p}, p)
            for family in ("srgan", "esrgan")
            for p in sr_phases
        ),
        Case("colorizer", "colorizer_photos_128", "photos", 128, 4),
        Case("style_transfer", "style_transfer_starry_night_mobile", "photos", 64, 4),
    ]
    return noise + photo


# ------------------------------------------------------------------- data
def write_skimage_photos(folder: str) -> str:
    """Writes scikit-image's bundled photos into `folder` as PNG files; returns `folder`."""
    import skimage.data
    from PIL import Image

    for name in SKIMAGE_PHOTOS:
        Image.fromarray(getattr(skimage.data, name)()).save(Path(folder) / f"{name}.png")
    return folder


def first_batches(dataset: tf.data.Dataset, count: int = 1) -> list:
    return [tf.nest.map_structure(np.asarray, batch) for batch in dataset.take(count)]


def make_data(case: Case, num_classes: int | None, photos: str) -> tf.data.Dataset:
    """One batch of the case's data, repeated forever."""
    size, batch_size = case.image_size, case.batch_size
    if case.data == "fashion":
        images, labels = load_fashion_mnist("train")
        batch = images[:batch_size, :, :, None].astype("float32") / 127.5 - 1.0
        batch = (batch, labels[:batch_size].astype("int32")) if num_classes else batch
    elif case.data == "super_resolution":
        [batch] = first_batches(super_resolution_dataset(photos, 4, size, batch_size))
    else:
        crops = first_batches(photo_crop_dataset(photos, size, batch_size), 2)
        if case.data == "pairs":  # photo-pairs: grayscale (as 3 channels) -> colour
            gray = np.repeat(np.asarray(tf.image.rgb_to_grayscale(crops[0])), 3, axis=-1)
            batch = (gray, crops[0])
        elif case.data == "unpaired":
            batch = (crops[0], crops[1])
        else:
            batch = crops[0]
    # Ended as the library's loaders end, without tf.data autotuning (`prefetch`): with it,
    # dropping an iterator waits for the autotuner's next wake-up, 10 * (2**k - 1) ms after
    # the iterator started, so every run (fit or bare loop) ended on one of those times
    # (measured: 4.0 s runs took 5.11 s).
    return prefetch(tf.data.Dataset.from_tensors(batch).repeat())


# ---------------------------------------------------------------- models
def build_model(case: Case, strategy):
    """The case's model, untrained, built (and style targets set) inside `strategy`."""
    with strategy.scope():
        model = FAMILIES[case.family].from_preset(case.preset, load_weights=False, **case.overrides)
        if case.family == "style_transfer":
            from keras_gan.models.style_transfer import load_style_image

            entry = model.presets[case.preset]["style_images"][0]
            path = next((p for p in entry["paths"] if Path(p).exists()), None)
            if path is None:
                raise FileNotFoundError(f"No style image: {entry['description']}")
            model.set_style_images([load_style_image(path)])
    return model


def compile_model(model, mode: str, strategy, steps_per_execution: int = 1) -> None:
    with strategy.scope():
        model.compile(
            run_eagerly=mode == "eager",
            jit_compile=mode == "xla",
            steps_per_execution=steps_per_execution,
        )


def fit_seconds(model, data, steps: int) -> float:
    started = time.perf_counter()
    model.fit(data, epochs=1, steps_per_epoch=steps, shuffle=False, verbose=0)
    return time.perf_counter() - started


class BareLoop:
    """`model.train_step` as a plain `tf.function` loop: no trainer, callbacks or logs."""

    def __init__(self, model, data: tf.data.Dataset, jit: bool, strategy, distributed: bool):
        self.strategy = strategy
        self.data = strategy.experimental_distribute_dataset(data) if distributed else data
        train_step = tf.function(model.train_step, jit_compile=jit)

        @tf.function(autograph=False)
        def step(iterator):
            # As Keras does: the iterator stays outside the (possibly XLA) step.
            return strategy.run(train_step, args=(next(iterator),))

        self.step = step

    def seconds(self, steps: int) -> float:
        started = time.perf_counter()
        iterator = iter(self.data)
        for _ in range(steps):
            outputs = self.step(iterator)
        for value in tf.nest.flatten(outputs):
            for local in self.strategy.experimental_local_results(value):
                np.asarray(local)  # waits for the last step
        # Timed as in `fit`, which drops its iterator before returning (see `make_data`).
        del iterator
        return time.perf_counter() - started


# ------------------------------------------------------------- measuring
def first_line(error: Exception) -> str:
    """The line of an error that says what went wrong (XLA's unsupported op, if any)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    unsupported = [line for line in lines if "Detected unsupported operations" in line]
    informative = [line for line in lines if not line.endswith("execution error:")]
    line = (unsupported or informative or lines or [""])[0]
    return f"{type(error).__name__}: {line}"[:400]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_case(case: Case, args, strategy) -> tuple[list[dict], list[dict]]:
    """Rows of `results` and `overhead` for one case, over the asked modes and precisions."""
    base = {"family": case.family, "preset": case.preset}
    if case.phase:
        base["phase"] = case.phase
    size = {"batch_size": case.batch_size, "image_size": case.image_size}
    results, overhead = [], []

    def add_result(mode: str, precision: str, row: dict) -> None:
        results.append({**base, "mode": mode, "precision": precision, **size, **row})
        log(json.dumps(results[-1]))

    data = None
    for precision in args.precisions:
        # Mixed precision in graph mode only, to bound the run's time.
        modes = args.modes if precision == "float32" else [m for m in args.modes if m == "graph"]
        if not modes:
            continue
        keras.mixed_precision.set_global_policy(precision)
        try:
            try:
                model = build_model(case, strategy)
                if data is None:
                    data = make_data(case, getattr(model, "num_classes", None), args.photos)
            except Exception as error:  # a family that cannot build: every mode skipped
                for mode in modes:
                    add_result(mode, precision, {"skipped": first_line(error)})
                continue
            for mode in modes:
                rows = measure(model, data, case, mode, precision, strategy, args)
                add_result(mode, precision, rows[0])
                for row in rows[1:]:
                    overhead.append({**base, "mode": mode, **row})
                    log(json.dumps(overhead[-1]))
        finally:
            keras.mixed_precision.set_global_policy("float32")
    if args.float16_note and "graph" in args.modes:
        add_result("graph", "mixed_float16", {"skipped": args.float16_note})
    keras.backend.clear_session()
    return results, overhead


def measure(model, data, case: Case, mode: str, precision: str, strategy, args) -> list:
    """The results row (and the overhead rows) of one compiled mode, or why it was skipped."""
    with_overhead = precision == "float32" and mode in args.overhead_modes
    # Repeats only where fit is compared with the bare loop; elsewhere one timed run.
    repeats = args.overhead_repeats if with_overhead else args.repeats
    started = time.perf_counter()
    try:
        compile_model(model, mode, strategy)
        fit_seconds(model, data, args.warmup)
        # Slow configurations (eager, XLA or float16 on a CPU) get fewer steps.
        step_seconds = fit_seconds(model, data, 1)
        steps = int(max(1, min(args.steps, args.max_seconds // step_seconds)))
        bare = None
        if with_overhead:
            # Long enough runs that run-to-run noise stays below the 5 % being measured.
            steps = max(steps, int(args.overhead_seconds / step_seconds))
            distributed = args.strategy == "mirrored"
            bare = BareLoop(model, data, mode == "xla", strategy, distributed)
            bare.seconds(args.warmup)
        fit_best = bare_best = float("inf")
        if steps == 1 and bare is None:
            repeats, fit_best = 0, step_seconds  # the one step already timed
        for repeat in range(repeats):
            # Alternating which runs first, so a slow spell of the machine hits both.
            if bare is not None and repeat % 2:
                bare_best = min(bare_best, bare.seconds(steps))
            fit_best = min(fit_best, fit_seconds(model, data, steps))
            if bare is not None and not repeat % 2:
                bare_best = min(bare_best, bare.seconds(steps))
    except Exception as error:
        skipped = {"skipped": first_line(error)}
        return [skipped, {**skipped}] if with_overhead else [skipped]
    images = case.batch_size * steps
    row = {
        "steps": steps,
        "images_per_s": round(images / fit_best, 2),
        "ms_per_step": round(1000 * fit_best / steps, 2),
        "wall_s": round(time.perf_counter() - started, 1),
    }
    if bare is None:
        return [row]
    rows = [row, overhead_row(images / fit_best, images / bare_best, 1)]
    if args.steps_per_execution > 1:
        rows.append(
            fit_with_steps_per_execution(model, data, case, mode, strategy, args, bare, steps)
        )
    return rows


def overhead_row(fit_rate: float, bare_rate: float, steps_per_execution: int) -> dict:
    return {
        "steps_per_execution": steps_per_execution,
        "fit_images_per_s": round(fit_rate, 2),
        "bare_images_per_s": round(bare_rate, 2),
        "fit_overhead_pct": round(100 * (bare_rate / fit_rate - 1), 1),
    }


def fit_with_steps_per_execution(model, data, case, mode, strategy, args, bare, steps) -> dict:
    """`fit` with several steps per `tf.function` call, against the same bare loop."""
    spe = args.steps_per_execution
    steps = spe * max(1, round(steps / spe))
    try:
        compile_model(model, mode, strategy, steps_per_execution=spe)
        fit_seconds(model, data, spe)
        fit_best = bare_best = float("inf")
        for _ in range(args.overhead_repeats):
            fit_best = min(fit_best, fit_seconds(model, data, steps))
            bare_best = min(bare_best, bare.seconds(steps))
    except Exception as error:
        return {"steps_per_execution": spe, "skipped": first_line(error)}
    images = case.batch_size * steps
    return overhead_row(images / fit_best, images / bare_best, spe)


# ------------------------------------------------------------------ main
def select_device(device: str) -> str:
    """Hides the GPUs for `cpu`; refuses `gpu` without one. Returns what runs the steps."""
    gpus = tf.config.list_physical_devices("GPU")
    if device == "cpu":
        tf.config.set_visible_devices([], "GPU")
        return "cpu"
    if device == "gpu" and not gpus:
        sys.exit("--device gpu: TensorFlow sees no GPU on this machine.")
    return "gpu" if gpus else "cpu"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default="all", help="comma list of FAMILIES keys")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument(
        "--precisions",
        default="auto",
        help="comma list; auto: all on a GPU, float32 and mixed_bfloat16 on a CPU",
    )
    parser.add_argument("--sr-phases", default="gan,psnr", help="SRGAN/ESRGAN phases")
    parser.add_argument("--steps", type=int, default=10, help="timed steps per run, at most")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=2.0,
        help="fewer steps where a timed run would take longer (by one timed step's time)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs; the best counts")
    parser.add_argument(
        "--overhead-repeats",
        type=int,
        default=5,
        help="alternating fit and bare-loop runs where they are compared; the best of each",
    )
    parser.add_argument(
        "--steps-per-execution",
        type=int,
        default=1,
        help="above 1, also time fit with this many steps per call against the bare loop",
    )
    parser.add_argument(
        "--overhead-seconds",
        type=float,
        default=3.0,
        help="where fit is compared with the bare loop, time at least this long a run",
    )
    parser.add_argument(
        "--overhead-modes",
        default="auto",
        help="modes where fit is timed against the bare loop (comma list, or none); auto: "
        "graph and xla on a GPU, graph on a CPU",
    )
    parser.add_argument("--quick", action="store_true", help="<= 2 steps, 1 warm-up, 1 run")
    parser.add_argument("--device", choices=("auto", "cpu", "gpu"), default="auto")
    parser.add_argument("--strategy", choices=("default", "mirrored"), default="default")
    parser.add_argument("--photos", help="folder of photos (default: scikit-image's)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.steps, args.warmup, args.repeats, args.max_seconds = 2, 1, 1, 1.0
        args.overhead_repeats = 1
        args.overhead_seconds = 0.0
    args.modes = args.modes.split(",")
    args.auto_precisions = args.precisions == "auto"
    args.auto_overhead = args.overhead_modes == "auto"
    args.overhead_modes = [] if args.overhead_modes == "none" else args.overhead_modes.split(",")
    if args.auto_overhead:
        args.overhead_modes = ["graph", "xla"]
    args.precisions = list(PRECISIONS) if args.precisions == "auto" else args.precisions.split(",")
    args.sr_phases = args.sr_phases.split(",")
    for name, values, allowed in (
        ("--modes", args.modes, MODES),
        ("--overhead-modes", args.overhead_modes, ("graph", "xla")),
        ("--precisions", args.precisions, PRECISIONS),
        ("--sr-phases", args.sr_phases, ("gan", "psnr")),
    ):
        if unknown := sorted(set(values) - set(allowed)):
            parser.error(f"{name}: unknown {unknown}; expected some of {list(allowed)}")
    if min(args.steps, args.warmup, args.repeats, args.overhead_repeats) < 1:
        parser.error("--steps, --warmup, --repeats and --overhead-repeats must be >= 1")
    if args.steps_per_execution < 1:
        parser.error("--steps-per-execution must be >= 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    args.device = select_device(args.device)
    args.float16_note = None
    if args.auto_precisions and args.device == "cpu":
        args.precisions.remove("mixed_float16")
        args.float16_note = CPU_FLOAT16_NOTE
    if args.auto_overhead and args.device == "cpu":
        # XLA steps are 2-4x slower than graph ones on a CPU, and the bare loop would
        # compile the step a second time: the longest part of a CPU run.
        args.overhead_modes = ["graph"]
    if args.strategy == "mirrored":
        strategy = tf.distribute.MirroredStrategy()
    else:
        strategy = tf.distribute.get_strategy()
    selected = cases(args.sr_phases)
    if args.families != "all":
        names = args.families.split(",")
        if unknown := sorted(set(names) - set(FAMILIES)):
            sys.exit(f"--families: unknown {unknown}; expected some of {sorted(FAMILIES)}")
        selected = [case for case in selected if case.family in names]
    photos = args.photos or "scikit-image: " + ", ".join(SKIMAGE_PHOTOS)
    started = time.perf_counter()
    results, overhead = [], []
    with tempfile.TemporaryDirectory(prefix="keras_gan_bench_") as folder:
        args.photos = args.photos or write_skimage_photos(folder)
        for case in selected:
            rows, overhead_rows = bench_case(case, args, strategy)
            results += rows
            overhead += overhead_rows
    report = {
        "benchmark": "train_throughput",
        "machine": machine_info(),
        "device": args.device,
        "strategy": args.strategy,
        "replicas": strategy.num_replicas_in_sync,
        "settings": {
            "steps": args.steps,
            "max_seconds": args.max_seconds,
            "precisions": args.precisions,
            "overhead_modes": args.overhead_modes,
            "warmup": args.warmup,
            "repeats": args.repeats,
            "overhead_repeats": args.overhead_repeats,
            "photos": photos,
        },
        "results": results,
        "overhead": overhead,
        "total_s": round(time.perf_counter() - started, 1),
    }
    print_report(report, args.out)
    return report


if __name__ == "__main__":
    main()
