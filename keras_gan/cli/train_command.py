"""`keras-gan train FAMILY --data DIR --out RUN_DIR ...`"""

import argparse

MIXED_POLICIES = {"float16": "mixed_float16", "bfloat16": "mixed_bfloat16"}


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "train",
        help="train a GAN family on a data folder or Fashion-MNIST",
        description=(
            "Train a GAN family. Writes RUN_DIR/model.keras, RUN_DIR/checkpoints/, "
            "RUN_DIR/samples/epoch_NNNN.png and RUN_DIR/metrics.csv. pix2pix reads a paired "
            "folder (A|B side by side, or A/ and B/; train/ and test/ splits), cyclegan an "
            "unpaired one (trainA/ trainB/ testA/ testB/); `keras-gan make-data` builds both "
            "from photos and Fashion-MNIST."
        ),
    )
    parser.add_argument(
        "family",
        help="dcgan, lsgan, wgan, wgan_gp, sngan, cgan, acgan, infogan, pix2pix, cyclegan",
    )
    parser.add_argument(
        "--data",
        required=True,
        help="an image folder (one subfolder per class for cgan/acgan; paired or unpaired "
        "folders for pix2pix/cyclegan), Fashion-MNIST's idx folder, or 'fashion-mnist'",
    )
    parser.add_argument("--out", required=True, help="the run directory")
    parser.add_argument("--preset", help="start from a preset configuration")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--steps", type=int, help="steps per epoch (default: the whole data)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--image-size", type=int, help="image side (default: the preset's or 64)")
    parser.add_argument("--channels", type=int, choices=(1, 3))
    parser.add_argument(
        "--strategy", choices=("default", "mirrored", "multi_worker"), default="default"
    )
    parser.add_argument(
        "--mixed-precision",
        nargs="?",
        const="float16",
        choices=tuple(MIXED_POLICIES),
        help="mixed precision: float16 (with loss scaling, the default) or bfloat16",
    )
    parser.add_argument("--jit-compile", action="store_true", help="compile steps with XLA")
    parser.add_argument("--resume", action="store_true", help="continue from RUN_DIR/checkpoints")
    parser.add_argument("--ema-decay", type=float, help="keep an EMA generator (e.g. 0.999)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--n-epochs",
        type=int,
        help="pix2pix/cyclegan: epochs at the initial learning rate (default: half of --epochs)",
    )
    parser.add_argument(
        "--n-epochs-decay",
        type=int,
        help="pix2pix/cyclegan: epochs of linear decay to zero (default: the rest)",
    )
    parser.add_argument(
        "--eval-every",
        type=int,
        default=0,
        metavar="N",
        help="noise-to-image families: score samples against held-out images every N epochs "
        "(logged as val_<metric>)",
    )
    parser.add_argument(
        "--eval-metrics", default="frechet", help="with --eval-every: frechet,kid,inception_score"
    )
    parser.add_argument(
        "--eval-samples", type=int, default=1000, help="with --eval-every: samples scored"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from keras_gan.training import train_run

    for name in ("epochs", "batch_size", "steps"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1. Received: {value}")
    model_kwargs = {"seed": args.seed}
    if args.ema_decay is not None and args.family in ("pix2pix", "cyclegan"):
        raise ValueError(f"--ema-decay is not an option of {args.family}.")
    if args.ema_decay is not None:
        model_kwargs["ema_decay"] = args.ema_decay
    result = train_run(
        args.family,
        args.data,
        args.out,
        preset=args.preset,
        epochs=args.epochs,
        steps=args.steps,
        batch_size=args.batch_size,
        image_size=args.image_size,
        channels=args.channels,
        strategy=args.strategy,
        mixed_precision=MIXED_POLICIES.get(args.mixed_precision),
        resume=args.resume,
        seed=args.seed,
        jit_compile=args.jit_compile,
        model_kwargs={} if args.resume else model_kwargs,
        n_epochs=args.n_epochs,
        n_epochs_decay=args.n_epochs_decay,
        eval_every=args.eval_every,
        eval_metrics=args.eval_metrics,
        eval_samples=args.eval_samples,
    )
    if result.stopped_reason:
        print(result.stopped_reason)
        return 1
    print(f"Trained {args.family} to epoch {result.epochs_done} in {result.seconds:.0f} s.")
    held_out = result.held_out
    if "before" in held_out:
        before, after = held_out["before"], held_out["after"]
        print(
            f"Held-out {before['metric']} on {held_out['examples']} {held_out['split']} "
            f"examples: {before['value']:.4f} untrained -> {after['value']:.4f}"
            + (
                f" (copying the input: {after['copy_input']:.4f})."
                if "copy_input" in after
                else "."
            )
        )
    print(f"Model: {result.run_dir / 'model.keras'}; samples: {result.run_dir / 'samples'}")
    return 0
