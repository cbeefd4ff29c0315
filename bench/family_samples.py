"""One picture with a row of samples per trained family (from bench/quality.py's runs).

python bench/family_samples.py --runs bench/out/quality_runs --out docs/fashion_mnist_samples.png
"""

import argparse
from pathlib import Path

import keras
from PIL import Image, ImageDraw

from keras_gan.utils.image_grid import image_grid

LABEL_WIDTH = 90


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default="bench/out/quality_runs")
    parser.add_argument("--out", default="docs/fashion_mnist_samples.png")
    parser.add_argument("--per-row", type=int, default=10)
    parser.add_argument("--scale", type=int, default=2)
    args = parser.parse_args(argv)
    rows = []
    for run in sorted(Path(args.runs).iterdir()):
        model_path = run / "model.keras"
        if not model_path.exists():
            continue
        model = keras.saving.load_model(model_path)
        strip = image_grid(model.generate(args.per_row, seed=0), columns=args.per_row)
        picture = Image.fromarray(strip[..., 0]).convert("RGB")
        picture = picture.resize((picture.width * args.scale, picture.height * args.scale))
        row = Image.new("RGB", (picture.width + LABEL_WIDTH, picture.height), "white")
        row.paste(picture, (LABEL_WIDTH, 0))
        ImageDraw.Draw(row).text((6, picture.height // 2 - 6), run.name, fill="black")
        rows.append(row)
    if not rows:
        raise SystemExit(f"No trained models under {args.runs}: run bench/quality.py first.")
    sheet = Image.new("RGB", (rows[0].width, sum(r.height for r in rows)), "white")
    top = 0
    for row in rows:
        sheet.paste(row, (0, top))
        top += row.height
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"Wrote {len(rows)} rows to {args.out}")


if __name__ == "__main__":
    main()
