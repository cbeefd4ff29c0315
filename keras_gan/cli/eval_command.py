"""`keras-gan eval MODEL --data DIR --metrics fid,kid,psnr,ssim,lpips`: score a model."""

from __future__ import annotations

import argparse
import json
import math
import os


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "eval",
        help="score a model: FID/KID/IS of its outputs, PSNR/SSIM/LPIPS against references",
        description="Score a model on a folder of images and print a table (metric | model | "
        "baseline). Noise-to-image models: DIR holds real images (or is 'fashion-mnist'). "
        "Super-resolution: DIR holds high-resolution photos, shrunk with bicubic and upscaled "
        "(baseline: bicubic). Colorization: DIR holds colour photos (baseline: the gray "
        "photo). Pix2Pix: DIR is a paired data set (its test split when present). CycleGAN: "
        "an unpaired data set (testA -> testB). Style transfer: photos.",
    )
    parser.add_argument("model", help="a .keras file or a preset name")
    parser.add_argument(
        "--data", required=True, help="a folder of images, or fashion-mnist (its test split)"
    )
    parser.add_argument(
        "--metrics",
        default="fid",
        help="comma-separated: fid, kid, is, psnr, ssim, lpips (default: fid)",
    )
    parser.add_argument(
        "--features",
        choices=("inception", "vgg16", "fashion"),
        default=None,
        help="feature network of fid/kid/is (default: fashion for 28x28 gray models, "
        "else inception)",
    )
    parser.add_argument(
        "--num-samples", type=int, default=1000, help="samples of noise-to-image models"
    )
    parser.add_argument(
        "--y-channel",
        action="store_true",
        default=None,
        help="PSNR/SSIM on BT.601 luma (default for super-resolution)",
    )
    parser.add_argument(
        "--shave",
        type=int,
        default=None,
        help="border pixels left out of PSNR/SSIM (default: the scale for super-resolution)",
    )
    parser.add_argument("--out", default=None, help="write the results to this JSON file")
    parser.add_argument("--batch-size", type=int, default=16, help="images per forward pass")
    parser.add_argument("--limit", type=int, default=None, help="read at most N images")
    parser.add_argument("--seed", type=int, default=0, help="seed of the samples and of KID")
    parser.set_defaults(run=run)


def _check_positive(name: str, value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"--{name} must be >= 1. Received: {value}")


def _format(value: float | None) -> str:
    if value is None:
        return "-"
    if math.isinf(value):
        return "inf"
    return f"{value:.4f}" if abs(value) < 1000 else f"{value:.1f}"


def format_table(results: dict) -> str:
    """The metric | model | baseline table of `evaluate_model`'s results."""
    rows = [("metric", "model", "baseline")]
    for name, values in results["metrics"].items():
        rows.append((name, _format(values["model"]), _format(values["baseline"])))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]

    def line(cells) -> str:
        cells = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return " | ".join(cells).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def _json_value(value):
    """Infinite PSNR (identical images) is written as the string "inf", as JSON has none."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def run(args: argparse.Namespace) -> int:
    from keras_gan.evaluation import check_metrics, evaluate_model
    from keras_gan.models import load_gan
    from keras_gan.perceptual.weights import MissingWeightsError

    metrics = check_metrics(args.metrics)
    for name in ("num_samples", "batch_size", "limit"):
        _check_positive(name.replace("_", "-"), getattr(args, name))
    if args.shave is not None and args.shave < 0:
        raise ValueError(f"--shave must be >= 0. Received: {args.shave}")
    if args.data != "fashion-mnist" and not os.path.isdir(args.data):
        raise FileNotFoundError(f"--data: no such folder: {args.data!r}")
    model = load_gan(args.model)
    try:
        results = evaluate_model(
            model,
            args.data,
            metrics,
            features=args.features,
            num_samples=args.num_samples,
            y_channel=args.y_channel,
            shave=args.shave,
            batch_size=args.batch_size,
            limit=args.limit,
            seed=args.seed,
        )
    except MissingWeightsError as error:
        raise FileNotFoundError(" ".join(str(error).split())) from None
    results = {"model": args.model, "data": args.data, **results}
    conventions = []
    if any(name in ("psnr", "ssim") for name in metrics):
        channel = "BT.601 luma (Y)" if results["y_channel"] else "RGB"
        conventions.append(f"PSNR/SSIM on {channel}, {results['shave']} border pixel(s) shaved")
    if results["features"]:
        conventions.append(f"features: {results['features']}")
    print(
        f"{results['family']} on {results['num_images']} image(s) from {args.data}"
        + (f" ({'; '.join(conventions)})" if conventions else "")
    )
    print(format_table(results))
    if args.out:
        results["metrics"] = {
            name: {key: _json_value(value) for key, value in values.items()}
            for name, values in results["metrics"].items()
        }
        folder = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(folder, exist_ok=True)
        with open(args.out, "w") as file:
            json.dump(results, file, indent=2)
        print(f"Wrote {args.out}")
    return 0
