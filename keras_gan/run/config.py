"""`RunConfig`: the settings of one training run, one field per `keras-gan train` flag."""

from __future__ import annotations

import dataclasses

STRATEGIES = ("default", "mirrored", "multi_worker")
MIXED_PRECISION = ("mixed_float16", "mixed_bfloat16")


@dataclasses.dataclass
class RunConfig:
    """What `keras_gan.run.train` needs besides the family, the data and the run directory.

    Attributes:
        preset: start from this preset's configuration (and weights, when it ships some).
        from_scratch: with a preset, start from random weights even where it ships some
            (how `make presets` rebuilds a shipped preset).
        init_weights: a `.keras` model (or generator `.weights.h5`) whose generator
            weights the run starts from (a later stage of a recipe).
        epochs: epochs in all (with `resume`, counting those already done).
        steps: steps per epoch; default: one pass over the training data.
        batch_size: examples per step (all replicas together).
        image_size: the model's image side (noise families) or training crop side
            (image-to-image families); default: the preset's or the family's.
        channels: image channels, where the family takes them.
        strategy: `default`, `mirrored` or `multi_worker` (TF_CONFIG).
        mixed_precision: `mixed_float16` or `mixed_bfloat16`, or None.
        resume: continue from RUN_DIR/checkpoints as if the run had never stopped.
        seed: the seed of data order, crops and training noise.
        jit_compile: compile the train step with XLA.
        model_kwargs: other constructor arguments (`ema_decay`, ...).
        n_epochs, n_epochs_decay: Pix2Pix / CycleGAN: the reference's linear schedule.
        phase: super-resolution: `psnr` (pixel loss) or `gan` (perceptual + adversarial).
        style_images: style transfer: the style image paths (default: the preset's).
        learning_rate: overrides the family's initial generator learning rate.
        eval_every: score on held-out data every N epochs (`val_<metric>`); 0: never.
        eval_metrics, eval_samples: noise families: the metrics and number of samples.
        verbose: Keras's `fit` verbosity; "auto": a progress bar on a terminal, one line
            per epoch otherwise.
    """

    preset: str | None = None
    from_scratch: bool = False
    init_weights: str | None = None
    epochs: int = 1
    steps: int | None = None
    batch_size: int = 64
    image_size: int | None = None
    channels: int | None = None
    strategy: str = "default"
    mixed_precision: str | None = None
    resume: bool = False
    seed: int = 0
    jit_compile: bool = False
    model_kwargs: dict = dataclasses.field(default_factory=dict)
    n_epochs: int | None = None
    n_epochs_decay: int | None = None
    phase: str | None = None
    style_images: tuple[str, ...] = ()
    learning_rate: float | None = None
    eval_every: int = 0
    eval_metrics: tuple[str, ...] | str = ("frechet",)
    eval_samples: int = 1000
    verbose: int | str = "auto"

    def __post_init__(self):
        for name in ("epochs", "batch_size", "steps", "image_size", "eval_samples"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive int. Received: {name}={value!r}")
        if self.strategy not in STRATEGIES:
            raise ValueError(f"Unknown strategy {self.strategy!r}. Expected one of {STRATEGIES}.")
        if self.mixed_precision is not None and self.mixed_precision not in MIXED_PRECISION:
            raise ValueError(
                f"mixed_precision must be one of {MIXED_PRECISION} or None. "
                f"Received: {self.mixed_precision!r}"
            )
        if self.eval_every < 0:
            raise ValueError(f"eval_every must be >= 0. Received: {self.eval_every}")
        if self.learning_rate is not None and not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0. Received: {self.learning_rate}")
        self.style_images = tuple(str(p) for p in self.style_images)
