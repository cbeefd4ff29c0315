"""`keras-gan`: the command line. Flags become keyword arguments of one library call."""

import argparse
import sys

from keras_gan.cli import (
    demo_command,
    eval_command,
    export_command,
    families_command,
    make_data_command,
    plot_command,
    predict_command,
    presets_command,
    sample_command,
    serve_command,
    train_command,
    weights_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="keras-gan",
        description="Train, sample and ship generative adversarial networks built on Keras 3.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    train_command.add_parser(commands)
    families_command.add_parser(commands)
    presets_command.add_parser(commands)
    sample_command.add_parser(commands)
    predict_command.add_parser(commands)
    demo_command.add_parser(commands)
    make_data_command.add_parser(commands)
    weights_command.add_parser(commands)
    export_command.add_parser(commands)
    eval_command.add_parser(commands)
    serve_command.add_parser(commands)
    plot_command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for commands that re-run
    try:
        return int(args.run(args) or 0)
    except (ValueError, FileNotFoundError, FileExistsError) as error:
        # Bad input: one line that names the problem, no traceback.
        print(f"keras-gan {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
