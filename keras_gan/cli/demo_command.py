"""`keras-gan demo`: the main job end to end on bundled data."""

import argparse


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "demo",
        help="train a small DCGAN on Fashion-MNIST and write sample grids (a couple of minutes)",
        description="The main job end to end on data that installs offline.",
    )
    parser.add_argument("--out", default="runs/demo", help="the run directory")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--steps", type=int, default=200, help="steps per epoch")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from keras_gan.demo import run_demo

    run_demo(args.out, epochs=args.epochs, steps=args.steps, batch_size=args.batch_size)
    return 0
