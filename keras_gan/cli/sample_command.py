"""`keras-gan sample MODEL --out FILE.png [--n N] [--seed S]`"""

import argparse


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "sample",
        help="draw a grid of samples from a trained model or a preset",
        description="Draw N samples with a fixed seed and write them as one PNG grid.",
    )
    parser.add_argument("model", help="a .keras file or a preset name")
    parser.add_argument(
        "--allow-untrained",
        action="store_true",
        help="accept a preset that ships no weights (random weights, on purpose)",
    )
    parser.add_argument("--out", required=True, help="the PNG file to write")
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--labels", help="class labels for conditional models, comma separated (default: cycle)"
    )
    parser.add_argument("--scale", type=int, default=2, help="enlarge the grid this many times")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from keras_gan.models import load_gan
    from keras_gan.utils import save_image_grid

    if args.n < 1:
        raise ValueError(f"--n must be >= 1. Received: {args.n}")
    model = load_gan(args.model, allow_untrained=args.allow_untrained)
    kwargs = {}
    if args.labels:
        if not model.num_classes:
            raise ValueError(f"{type(model).__name__} is not class-conditional: drop --labels.")
        labels = [int(x) for x in args.labels.split(",")]
        kwargs["labels"] = (labels * args.n)[: args.n]
    images = model.generate(args.n, seed=args.seed, **kwargs)
    path = save_image_grid(images, args.out, columns=model.grid_columns(), scale=args.scale)
    print(f"Wrote {args.n} samples to {path}")
    return 0
