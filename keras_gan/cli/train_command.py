"""`keras-gan train FAMILY|PRESET --data DIR --out RUN_DIR ...`: the one run path."""

import argparse

MIXED_POLICIES = {"float16": "mixed_float16", "bfloat16": "mixed_bfloat16"}
# What each kind of family reads from --data (the help text; the families say the rest,
# and a family whose data differs from its kind's says so in a `data_help` attribute).
DATA_HELP = {
    "noise": "an image folder (one subfolder per class for conditional families), "
    "Fashion-MNIST's idx folder, or 'fashion-mnist'",
    "paired": "a paired folder: A|B files side by side, or A/ and B/ (train/ and test/ splits)",
    "unpaired": "an unpaired folder: trainA/ trainB/ (held out: testA/ testB/)",
    "super_resolution": "a folder of photos (train/ and test/ splits: `keras-gan make-data "
    "photos`); low-res inputs are made on the fly",
    "colorization": "a folder of colour photos (train/ and test/ splits)",
    "stylization": "a folder of photos (train/ and test/ splits) and --style-image",
    "multi_domain": "an image folder with one subfolder per domain (train/ and test/ splits), "
    "or 'fashion-mnist' (ten classes, ten domains)",
}


def _family_lines() -> str:
    from keras_gan.registry import list_families

    lines = []
    for info in list_families():
        kind = info.cls.evaluation_kind
        data = getattr(info.cls, "data_help", "") or DATA_HELP.get(kind, "")
        lines.append(f"  {info.name:<15} {info.task:<16} --data: {data}")
    return "\n".join(lines)


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "train",
        help="train any family (or preset) on a data folder or Fashion-MNIST",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Train a family, or a preset's configuration. Writes RUN_DIR/model.keras, "
            "checkpoints/, samples/epoch_NNNN.png, metrics.csv, tensorboard/ and run.json "
            "(held-out scores before and after training, with the family's baseline). "
            "Data with train/ and test/ (or val/) folders is split: the held-out split never "
            "trains.\n\nFamilies (`keras-gan families`):\n" + _family_lines()
        ),
    )
    parser.add_argument("family", help="a family name or a preset name (`keras-gan presets`)")
    parser.add_argument("--data", required=True, help="what the family reads (see above)")
    parser.add_argument("--out", required=True, help="the run directory")
    parser.add_argument("--preset", help="start from a preset configuration")
    parser.add_argument(
        "--from-scratch",
        action="store_true",
        help="with a preset that ships weights: start from random weights instead",
    )
    parser.add_argument(
        "--init-weights",
        metavar="MODEL",
        help="start from the generator weights of a .keras model (a recipe's earlier stage)",
    )
    parser.add_argument(
        "--model-arg",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a constructor argument of the family (JSON value), e.g. style_weight=2e4",
    )
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--steps", type=int, help="steps per epoch (default: the whole data)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--image-size",
        type=int,
        help="image side (noise families), training crop side (image-to-image families; "
        "the high-res crop for super-resolution)",
    )
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
    parser.add_argument("--ema-decay", type=float, help="noise families: keep an EMA generator")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--learning-rate",
        type=float,
        help="pix2pix/cyclegan/srgan/esrgan: the generator's initial learning rate",
    )
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
        "--phase",
        choices=("psnr", "gan"),
        help="srgan/esrgan: psnr (pixel loss, first) or gan (perceptual + adversarial)",
    )
    parser.add_argument(
        "--style-image",
        action="append",
        default=[],
        metavar="PATH",
        help="style_transfer: the style image (once per style; default: the preset's)",
    )
    parser.add_argument(
        "--eval-every",
        type=int,
        default=0,
        metavar="N",
        help="score on held-out data every N epochs (logged as val_<metric>): noise "
        "families with --eval-metrics, image-to-image families with their own score",
    )
    parser.add_argument(
        "--eval-metrics", default="frechet", help="with --eval-every: frechet,kid,inception_score"
    )
    parser.add_argument(
        "--eval-samples", type=int, default=1000, help="with --eval-every: samples scored"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from keras_gan.run import RunConfig, train

    for name in ("epochs", "batch_size", "steps", "image_size", "eval_samples"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1. Received: {value}")
    model_kwargs = dict(model_arg(text) for text in args.model_arg)
    if args.ema_decay is not None:
        if family_info_of(args).task != "image_generator":
            raise ValueError(f"--ema-decay is not an option of {args.family}.")
        model_kwargs["ema_decay"] = args.ema_decay
    config = RunConfig(
        preset=args.preset,
        from_scratch=args.from_scratch,
        init_weights=args.init_weights,
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
        model_kwargs=model_kwargs,
        n_epochs=args.n_epochs,
        n_epochs_decay=args.n_epochs_decay,
        phase=args.phase,
        style_images=tuple(args.style_image),
        learning_rate=args.learning_rate,
        eval_every=args.eval_every,
        eval_metrics=args.eval_metrics,
        eval_samples=args.eval_samples,
    )
    result = train(args.family, args.data, args.out, config)
    if result.stopped_reason:
        print(result.stopped_reason)
        return 1
    print(f"Trained {args.family} to epoch {result.epochs_done} in {result.seconds:.0f} s.")
    held_out = result.held_out
    if "after" in held_out:
        print(held_out_line(held_out))
    elif held_out.get("why"):
        print(f"No held-out score: {held_out['why']}.")
    print(f"Model: {result.run_dir / 'model.keras'}; samples: {result.run_dir / 'samples'}")
    return 0


def model_arg(text: str) -> tuple[str, object]:
    """`KEY=VALUE` -> (key, the JSON value, or the text itself when it is not JSON)."""
    import json

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"--model-arg must be KEY=VALUE. Received: {text!r}")
    try:
        return key.strip(), json.loads(value)
    except json.JSONDecodeError:
        return key.strip(), value


def family_info_of(args):
    """The registry entry of the family or preset the command names."""
    from keras_gan.models import all_presets
    from keras_gan.registry import family_info, family_of

    presets = all_presets()
    name = args.preset or args.family
    return family_of(presets[name]) if name in presets else family_info(args.family)


def held_out_line(held_out: dict) -> str:
    """`Held-out l1 on 16 test examples: 0.41 untrained -> 0.12 (copy_input: 0.30).`"""
    after = held_out["after"]
    before = held_out.get("before")
    line = f"Held-out {after['metric']} on {held_out['examples']} {held_out['split']} examples: "
    line += f"{before['value']:.4f} before -> " if before else ""
    line += f"{after['value']:.4f}"
    if after.get("baseline") is not None:
        line += f" ({after.get('baseline_name', 'baseline')}: {after['baseline']:.4f})"
    return line + "."
