"""PSNR, SSIM and LPIPS of the shipped super-resolution and colorization presets on held-out photos.

Each preset is scored with `keras_gan.evaluation.evaluate_model` (the code behind
`keras-gan eval`) against its baseline: bicubic upscaling for super-resolution (PSNR/SSIM
on the BT.601 Y channel with a border of `scale` pixels shaved, the papers' convention),
the gray photo for colorization (RGB). Prints JSON; with --out also writes it.

    python bench/restoration_quality.py --photos runs/photos --out bench/out/restoration_quality.json
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from machine import machine_info, print_report  # noqa: E402

from keras_gan.evaluation import evaluate_model  # noqa: E402
from keras_gan.models import load_gan  # noqa: E402

PRESETS = {
    "srgan_photos_x4": "bicubic upscale",
    "colorizer_photos_128": "gray photo",
}


def score(preset: str, photos: Path, metrics: str, limit: int | None) -> list[dict]:
    model = load_gan(preset)
    started = time.perf_counter()
    report = evaluate_model(model, str(photos), metrics, limit=limit)
    seconds = time.perf_counter() - started
    convention = "Y channel, shave " + str(report["shave"]) if report["y_channel"] else "RGB"
    return [
        {
            "preset": preset,
            "metric": name,
            "model": round(values["model"], 4),
            "baseline": None if values["baseline"] is None else round(values["baseline"], 4),
            "baseline_is": PRESETS[preset],
            "images": report["num_images"],
            "convention": convention if name in ("psnr", "ssim") else "VGG16 LPIPS",
            "seconds": round(seconds, 1),
        }
        for name, values in report["metrics"].items()
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--photos",
        type=Path,
        default=Path("runs/photos"),
        help="photos: a folder split as keras_gan.data.splits defines (its test/ is scored; `keras-gan make-data photos` writes one), or a folder of held-out photos",
    )
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--metrics", default="psnr,ssim,lpips")
    parser.add_argument("--limit", type=int, default=None, help="score at most N photos")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if not args.photos.is_dir():
        parser.error(f"no folder of photos at {args.photos} (run `keras-gan make-data photos`)")
    results = []
    for preset in args.presets.split(","):
        if preset not in PRESETS:
            parser.error(f"unknown preset {preset!r}; expected some of {', '.join(PRESETS)}")
        print(f"scoring {preset} on {args.photos}", file=sys.stderr)
        results += score(preset, args.photos, args.metrics, args.limit)
    report = {
        "benchmark": "restoration_quality",
        "machine": machine_info(),
        "data": str(args.photos),
        "results": results,
    }
    print_report(report, args.out)


if __name__ == "__main__":
    main()
