"""`keras-gan plot RUN_DIR`: the training curves of a run as a PNG."""

import argparse


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "plot",
        help="draw a run's training curves (losses, metrics over steps) to PNG",
        description="Read RUN_DIR/metrics.csv (written by keras-gan train) and draw one panel "
        "per loss or metric, training and validation values together, against steps.",
    )
    parser.add_argument("run_dir", help="a run directory written by keras-gan train")
    parser.add_argument("--out", default=None, help="the PNG to write (default RUN_DIR/curves.png)")
    parser.add_argument(
        "--metrics",
        default=None,
        help="comma-separated quantities to draw, e.g. g_loss,d_loss (default: all logged)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from keras_gan.utils.training_curves import plot_training_curves

    names = (
        [name.strip() for name in args.metrics.split(",") if name.strip()] if args.metrics else None
    )
    path = plot_training_curves(args.run_dir, out=args.out, names=names)
    print(f"Wrote {path}")
    return 0
