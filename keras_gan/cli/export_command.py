"""`keras-gan export savedmodel|tflite|onnx MODEL --out PATH`: ship a model's generator."""

import argparse


def _common(parser: argparse.ArgumentParser, out_help: str) -> None:
    parser.add_argument("model", help="a .keras file or a preset name")
    parser.add_argument("--out", required=True, help=out_help)
    parser.add_argument("--overwrite", action="store_true", help="replace an existing export")
    parser.add_argument(
        "--allow-untrained",
        action="store_true",
        help="accept a preset that ships no weights (random weights, on purpose)",
    )
    parser.add_argument(
        "--direction",
        default=None,
        help="CycleGAN's generator: AtoB (default) or BtoA (also a_to_b, b_to_a)",
    )
    parser.add_argument(
        "--runs", type=int, default=10, help="timed runs for the parity report's median latency"
    )
    parser.add_argument("--no-parity", action="store_true", help="skip the parity check")
    parser.add_argument(
        "--representative-data",
        default=None,
        help="a folder of images: parity inputs (and int8 calibration for tflite)",
    )
    parser.add_argument(
        "--input-size",
        type=int,
        nargs="+",
        default=None,
        metavar="S",
        help="input side S or H W (default: the model's image_size, else 256)",
    )


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "export",
        help="export a model's generator as a SavedModel (TF-Serving), TFLite or ONNX",
        description="Export the generator (EMA weights where kept) and write a parity report "
        "(error against the Keras model, size, latency) beside it.",
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    saved = formats.add_parser(
        "savedmodel",
        help="a TF-Serving SavedModel at BASE/NAME/VERSION",
        description="Write BASE/NAME/VERSION with serving_default (uint8 images, or latents), "
        "serving_bytes (PNG/JPEG strings) and serving_float signatures and warm-up requests.",
    )
    _common(saved, "the version folder BASE/NAME/VERSION (VERSION a number)")
    saved.add_argument("--no-warmup", action="store_true", help="write no warm-up requests")
    saved.add_argument(
        "--memory-budget-mb",
        type=int,
        default=None,
        help="the model's memory budget under keras-gan serve (in assets.extra, which "
        "TF-Serving ignores; serve's --model_memory_budget_mb NAME=MB overrides it)",
    )
    lite = formats.add_parser(
        "tflite",
        help="a builtin-ops-only .tflite file (+ FILE.json sidecar)",
        description="Write a fixed-size .tflite file with builtin ops only, its metadata "
        "inside and in FILE.json beside it.",
    )
    _common(lite, "the .tflite file")
    lite.add_argument(
        "--quantize",
        choices=("none", "float16", "dynamic", "int8"),
        default="none",
        help="weight/activation quantization (int8 needs --representative-data for images)",
    )
    lite.add_argument(
        "--float-layers",
        nargs="+",
        default=None,
        metavar="LAYER",
        help="int8: layers to keep in float (more are kept automatically while the PSNR "
        "target is missed)",
    )
    onnx = formats.add_parser(
        "onnx", help="an .onnx file (tf2onnx)", description="Write an .onnx file (dynamic H, W)."
    )
    _common(onnx, "the .onnx file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from keras_gan.export import export_model

    if args.runs < 1:
        raise ValueError(f"--runs must be >= 1. Received: {args.runs}")
    size = args.input_size
    if size is not None and len(size) not in (1, 2):
        raise ValueError(f"--input-size takes S or H W. Received: {' '.join(map(str, size))}")
    kwargs = {
        "overwrite": args.overwrite,
        "direction": args.direction,
        "runs": args.runs,
        "parity": not args.no_parity,
        "representative_data": args.representative_data,
        "input_size": None if size is None else (size[0] if len(size) == 1 else tuple(size)),
    }
    if args.format == "savedmodel":
        kwargs["warmup"] = not args.no_warmup
        kwargs["memory_budget_mb"] = args.memory_budget_mb
    if args.format == "tflite":
        kwargs["quantize"] = args.quantize
        kwargs["float_layers"] = args.float_layers
    from keras_gan.export.network import resolve_model

    model = resolve_model(args.model, allow_untrained=args.allow_untrained)
    result = export_model(model, args.format, args.out, **kwargs)
    print(f"Wrote {result.path}")
    if result.parity is not None and not result.parity["passed"]:
        print(f"Parity below target: see {result.parity_path}")
    return 0
