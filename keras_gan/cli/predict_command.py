"""`keras-gan predict MODEL --input IN --out OUT`: run an image-to-image model on files."""

import argparse

from keras_gan.prediction import DEFAULT_OVERLAP


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "predict",
        help="run an image-to-image model (super-resolution, colorization, style, ...) on files",
        description="Read an image (or every image in a folder), run the model's generator on "
        "it at its own size and write PNG output. Super-resolution runs in overlapping tiles.",
    )
    parser.add_argument("model", help="a .keras file or a preset name")
    parser.add_argument(
        "--allow-untrained",
        action="store_true",
        help="accept a preset that ships no weights (random weights, on purpose)",
    )
    parser.add_argument("--input", required=True, help="an image file or a folder of images")
    parser.add_argument("--out", required=True, help="the PNG file (or folder) to write")
    parser.add_argument(
        "--tile",
        type=int,
        default=None,
        help="input tile side (default: 192 for super-resolution, whole image otherwise; "
        "0 = whole image)",
    )
    parser.add_argument("--overlap", type=int, default=DEFAULT_OVERLAP, help="tile overlap")
    parser.add_argument("--style", type=int, default=None, help="style index (multi-style)")
    parser.add_argument(
        "--direction", choices=("AtoB", "BtoA"), default=None, help="CycleGAN's direction"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import time

    from keras_gan.models import load_gan
    from keras_gan.prediction import predict_files

    if args.tile is not None and args.tile < 0:
        raise ValueError(f"--tile must be >= 0. Received: {args.tile}")
    if args.overlap < 0:
        raise ValueError(f"--overlap must be >= 0. Received: {args.overlap}")
    model = load_gan(args.model, allow_untrained=args.allow_untrained)
    kwargs = {"direction": args.direction} if args.direction else {}
    start = time.perf_counter()
    written = predict_files(
        model,
        args.input,
        args.out,
        tile=args.tile,
        overlap=args.overlap,
        style=args.style,
        **kwargs,
    )
    seconds = time.perf_counter() - start
    where = written[0] if len(written) == 1 else f"{len(written)} files under {args.out}"
    print(f"Wrote {where} ({seconds:.1f} s)")
    return 0
