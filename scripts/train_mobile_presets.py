"""Train the presets that ship with weights: super-resolution x4, colorization and style.

    keras-gan make-data photos --out runs/photos
    python scripts/train_mobile_presets.py --photos runs/photos --out runs/presets [--only sr]

Each preset trains on `PHOTOS/train` (whole photos bundled by scikit-image, scikit-learn,
Debian opencv-doc and plasma-workspace-wallpapers), is measured on the held-out photos
in `PHOTOS/test`, and gets `OUT/<preset>/` with the generator weights
(`<preset>.weights.h5`), `metrics.json`, `MODEL_CARD.md` and a sample sheet. Copy the
weights and the card into `keras_gan/models/<family>/weights/` and record the sha256 in
the family's presets file to ship them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from preset_cards import photo_table, write_model_card  # noqa: E402

import keras_gan as kg  # noqa: E402
from keras_gan.data.image_files import list_image_files, load_image  # noqa: E402
from keras_gan.data.photo_crops import photo_crop_dataset  # noqa: E402
from keras_gan.models.preset_loading import file_sha256  # noqa: E402
from keras_gan.utils import save_image_grid  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, CPU only, TensorFlow {kg.__version__ and __import__('tensorflow').__version__}"


def held_out_photos(photos: Path, max_side: int | None = None) -> list[tuple[str, np.ndarray]]:
    """(name, uint8 RGB) of each held-out photo, optionally shrunk to `max_side`."""
    from PIL import Image

    result = []
    for path in list_image_files(str(photos / "test")):
        image = load_image(path, 3)
        if max_side and max(image.shape[:2]) > max_side:
            pil = Image.fromarray(image)
            factor = max_side / max(pil.size)
            pil = pil.resize((round(pil.width * factor), round(pil.height * factor)), Image.LANCZOS)
            image = np.asarray(pil)
        result.append((Path(path).stem, image))
    return result


def save_generator(model, out: Path, preset: str) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{preset}.weights.h5"
    model.generator.save_weights(path)
    return {
        "file": path.name,
        "sha256": file_sha256(path),
        "bytes": path.stat().st_size,
        "generator_params": int(model.generator.count_params()),
    }


def finish(out: Path, preset: str, card: dict) -> None:
    (out / "metrics.json").write_text(json.dumps(card, indent=2) + "\n")
    write_model_card(out / "MODEL_CARD.md", card)
    print(json.dumps({k: card[k] for k in ("preset", "metrics", "weights")}, indent=2))


# ------------------------------------------------------------------ colorization
def train_colorizer(photos: Path, out: Path, steps: int, batch_size: int) -> None:
    from keras_gan.models.colorization import Colorizer
    from keras_gan.models.colorization.colorizer_gan import grayscale_baseline_psnr, rgb_psnr

    preset = "colorizer_photos_128"
    out = out / preset
    model = Colorizer.from_preset(preset, load_weights=False)
    model.compile()
    data = photo_crop_dataset(photos / "train", 128, batch_size, seed=0)
    start = time.time()
    history = model.fit(data, steps_per_epoch=steps // 10, epochs=10, verbose=2)
    seconds = time.time() - start

    rows, colour_psnr, gray_psnr = [], [], []
    for _name, photo in held_out_photos(photos, max_side=512):
        rgb = photo.astype("float32") / 127.5 - 1.0
        colorized = model.colorize(rgb)
        colour_psnr.append(float(rgb_psnr(colorized[None], rgb[None])[0]))
        gray_psnr.append(float(grayscale_baseline_psnr(rgb[None])[0]))
        rows.append((rgb, colorized))
    sheet = [img for rgb, col in rows[:6] for img in (_gray(rgb), col, rgb)]
    save_image_grid(np.stack([_fit(s, 256) for s in sheet]), out / "samples.png", columns=3)
    card = {
        "preset": preset,
        "family": "Colorizer",
        "task": "grayscale photo -> colour photo (L in, ab predicted, Lab -> RGB in the graph)",
        "config": Colorizer.presets[preset]["config"],
        "training": {
            "steps": steps,
            "batch_size": batch_size,
            "crop_size": 128,
            "seconds": round(seconds, 1),
            "machine": machine(),
            "losses": {k: round(float(v[-1]), 4) for k, v in history.history.items()},
        },
        "metrics": {
            "held_out_photos": len(rows),
            "psnr_rgb": round(float(np.mean(colour_psnr)), 2),
            "psnr_rgb_grayscale_baseline": round(float(np.mean(gray_psnr)), 2),
            "psnr_gain_db": round(float(np.mean(colour_psnr) - np.mean(gray_psnr)), 2),
            "per_photo": [
                {"psnr": round(c, 2), "baseline": round(g, 2)}
                for c, g in zip(colour_psnr, gray_psnr, strict=True)
            ],
            "measured_on": "RGB PSNR (peak 1) of whole held-out photos (long side 512) vs the "
            "original; baseline: the photo's own L with a = b = 0",
        },
        "weights": save_generator(model, out, preset),
        "training_photos": photo_table(photos, "train"),
        "held_out": photo_table(photos, "test"),
        "reproduce": f"python scripts/train_mobile_presets.py --only colorizer --steps-colorizer {steps}",
    }
    finish(out, preset, card)


# -------------------------------------------------------------- super-resolution
def measure_super_resolution(model, photos: Path, scale: int) -> tuple[dict, list]:
    """PSNR/SSIM (Y, border shaved by the scale) of the model and of bicubic on held-out photos.

    Each held-out photo (cropped to a multiple of the scale) is the HR target; its LR input
    is made as in training (`downscale`) and stored as uint8, as a real file would be.
    """
    from keras_gan.data.super_resolution import bicubic_upscale, crop_to_multiple, downscale
    from keras_gan.metrics import psnr, ssim
    from keras_gan.prediction import predict_image

    rows, per_photo = [], []
    for name, photo in held_out_photos(photos, max_side=512):
        high = np.asarray(crop_to_multiple(photo.astype("float32") / 127.5 - 1.0, scale))
        low = np.asarray(downscale(high, scale))
        low_u8 = np.clip(np.round((low + 1) * 127.5), 0, 255).astype(np.uint8)
        start = time.perf_counter()
        sr = predict_image(model, low_u8)
        seconds = time.perf_counter() - start
        bicubic = np.asarray(bicubic_upscale(low_u8.astype("float32") / 127.5 - 1.0, scale))
        high_u8 = np.clip(np.round((high + 1) * 127.5), 0, 255).astype(np.uint8)
        entry = {"photo": name, "size": f"{high_u8.shape[1]}x{high_u8.shape[0]}"}
        for label, image in (("model", sr), ("bicubic", bicubic)):
            entry[f"psnr_{label}"] = round(psnr(image, high_u8, y_channel=True, shave=scale), 3)
            entry[f"ssim_{label}"] = round(ssim(image, high_u8, y_channel=True, shave=scale), 4)
        entry["seconds"] = round(seconds, 2)
        per_photo.append(entry)
        rows.append((bicubic, sr, high_u8))
    mean = {
        key: round(float(np.mean([e[key] for e in per_photo])), 3)
        for key in ("psnr_model", "psnr_bicubic", "ssim_model", "ssim_bicubic")
    }
    mean["psnr_gain_db"] = round(mean["psnr_model"] - mean["psnr_bicubic"], 3)
    mean["ssim_gain"] = round(mean["ssim_model"] - mean["ssim_bicubic"], 4)
    return {"held_out_photos": len(per_photo), **mean, "per_photo": per_photo}, rows


def train_super_resolution(
    photos: Path, out: Path, steps: int, batch_size: int, preset: str, crop: int
) -> None:
    import keras

    from keras_gan.data.super_resolution import super_resolution_dataset
    from keras_gan.models import all_presets

    family = all_presets()[preset]
    out = out / preset
    model = family.from_preset(preset, load_weights=False)
    scale = model.scale
    schedule = keras.optimizers.schedules.CosineDecay(2e-4, steps, alpha=0.05)
    model.compile(
        g_optimizer=keras.optimizers.Adam(schedule, beta_1=0.9, beta_2=0.99),
        d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.9, beta_2=0.99),
    )
    data = super_resolution_dataset(photos / "train", scale, crop, batch_size, cache=True)
    before, _ = measure_super_resolution(model, photos, scale)
    start = time.time()
    history = model.fit(data, steps_per_epoch=steps // 10, epochs=10, verbose=2)
    seconds = time.time() - start
    metrics, rows = measure_super_resolution(model, photos, scale)
    sheet = []
    for bicubic, sr, high in rows[:4]:
        sheet += [
            _fit(np.asarray(x, "float32") / 127.5 - 1 if x.dtype == np.uint8 else x, 256)
            for x in (bicubic, sr, high)
        ]
    save_image_grid(np.stack(sheet), out / "samples.png", columns=3)
    card = {
        "preset": preset,
        "family": family.__name__,
        "task": f"x{scale} super-resolution (PSNR-oriented phase: L1 pixel loss)",
        "config": family.presets[preset]["config"],
        "training": {
            "phase": "psnr (L1)",
            "steps": steps,
            "batch_size": batch_size,
            "high_res_crop": crop,
            "optimizer": "Adam(2e-4 cosine to 1e-5, 0.9, 0.99)",
            "seconds": round(seconds, 1),
            "machine": machine(),
            "losses": {k: round(float(v[-1]), 4) for k, v in history.history.items()},
        },
        "metrics": {
            **metrics,
            "untrained_psnr_model": before["psnr_model"],
            "measured_on": "Y channel (BT.601), border of 4 px shaved; LR = bicubic "
            "(antialiased) downscale of each whole held-out photo, stored as uint8",
        },
        "notes": "Columns of samples.png: bicubic | model | original (center crops).",
        "weights": save_generator(model, out, preset),
        "training_photos": photo_table(photos, "train"),
        "held_out": photo_table(photos, "test"),
        "reproduce": f"python scripts/train_mobile_presets.py --only sr --sr-preset {preset} "
        f"--steps-sr {steps} --batch-size {batch_size} --sr-crop {crop}",
    }
    finish(out, preset, card)


# ---------------------------------------------------------------- style transfer
def train_style(
    photos: Path,
    out: Path,
    steps: int,
    batch_size: int,
    crop: int,
    style_weight: float | None,
    init: Path | None = None,
    normalization: str | None = None,
) -> None:
    from keras_gan.models.style_transfer import StyleTransfer
    from keras_gan.models.style_transfer.style_images import load_style_image

    preset = "style_transfer_starry_night_mobile"
    out = out / preset
    entry = StyleTransfer.presets[preset]
    style_path = next(p for p in entry["style_images"][0]["paths"] if Path(p).exists())
    style = load_style_image(style_path)
    overrides = {} if style_weight is None else {"style_weight": style_weight}
    if normalization is not None:
        overrides["normalization"] = normalization
    model = StyleTransfer.from_preset(preset, load_weights=False, **overrides)
    if init is not None:  # continue from earlier weights (e.g. a stronger-style stage)
        model.generator.load_weights(init)
    model.set_style_images([style])
    model.compile()
    data = photo_crop_dataset(photos / "train", crop, batch_size, seed=0)
    held_out = photo_crop_dataset(
        photos / "test", crop, 4, crops_per_image=4, repeat=False, shuffle=False, seed=7
    )
    before = model.evaluate(held_out, verbose=0, return_dict=True)
    start = time.time()
    history = model.fit(data, steps_per_epoch=steps // 10, epochs=10, verbose=2)
    seconds = time.time() - start
    after = model.evaluate(held_out, verbose=0, return_dict=True)
    sheet = []
    for _name, photo in held_out_photos(photos, max_side=384)[:4]:
        rgb = photo.astype("float32") / 127.5 - 1.0
        sheet += [_fit(rgb, 256), _fit(model.stylize(rgb), 256)]
    save_image_grid(np.stack([_fit(style, 256)] + sheet[:7]), out / "samples.png", columns=4)
    card = {
        "preset": preset,
        "family": "StyleTransfer",
        "task": "fast style transfer (Johnson et al.): photo -> The Starry Night's style",
        "config": {**entry["config"], **overrides},
        "training": {
            "steps": steps,
            "batch_size": batch_size,
            "content_crop": crop,
            "initial_weights": "random" if init is None else str(init),
            "content_weight": model.content_weight,
            "style_weight": model.style_weight,
            "tv_weight": model.tv_weight,
            "style_image": entry["style_images"][0]["description"]
            + " Public domain (the painter died in 1890).",
            "seconds": round(seconds, 1),
            "machine": machine(),
            "losses": {k: round(float(v[-1]), 4) for k, v in history.history.items()},
        },
        "metrics": {
            "held_out_crops": int(sum(1 for _ in held_out.unbatch())),
            **{f"{k}_before": round(float(v), 4) for k, v in before.items()},
            **{f"{k}_after": round(float(v), 4) for k, v in after.items()},
            "measured_on": f"weighted loss terms (VGG16) on {crop}x{crop} crops of the "
            "held-out photos, before and after training",
        },
        "notes": "samples.png: the style image, then photo | stylized pairs (held-out photos).",
        "weights": save_generator(model, out, preset),
        "training_photos": photo_table(photos, "train"),
        "held_out": photo_table(photos, "test"),
        "reproduce": f"python scripts/train_mobile_presets.py --only style --steps-style {steps} "
        f"--style-crop {crop} --style-weight {model.style_weight:g}"
        + ("" if normalization is None else f" --style-normalization {normalization}")
        + ("" if init is None else f" --style-init {init}"),
    }
    finish(out, preset, card)


def _gray(rgb: np.ndarray) -> np.ndarray:
    luma = rgb @ np.array([0.299, 0.587, 0.114], "float32")
    return np.repeat(luma[..., None], 3, axis=-1)


def _fit(image: np.ndarray, side: int) -> np.ndarray:
    """Center-crops/pads an image [-1, 1] to side x side for a sample sheet."""
    import tensorflow as tf

    return tf.image.resize_with_crop_or_pad(image, side, side).numpy()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=Path, required=True, help="keras-gan make-data photos")
    parser.add_argument("--out", type=Path, default=Path("runs/presets"))
    parser.add_argument("--only", choices=("sr", "colorizer", "style"), action="append")
    parser.add_argument("--steps-colorizer", type=int, default=1500)
    parser.add_argument("--steps-sr", type=int, default=1500)
    parser.add_argument("--sr-preset", default="srgan_photos_x4")
    parser.add_argument("--sr-crop", type=int, default=96, help="high-res crop side")
    parser.add_argument("--steps-style", type=int, default=600)
    parser.add_argument("--style-crop", type=int, default=128)
    parser.add_argument(
        "--style-init", type=Path, help="generator weights to start the style run from"
    )
    parser.add_argument(
        "--style-weight",
        type=float,
        help="style / content loss weight ratio (default: the preset's)",
    )
    parser.add_argument(
        "--style-normalization",
        choices=("instance", "batch"),
        help="the transform network's normalization (default: the preset's)",
    )
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)
    only = set(args.only or ("sr", "colorizer", "style"))
    if "sr" in only:
        train_super_resolution(
            args.photos, args.out, args.steps_sr, args.batch_size, args.sr_preset, args.sr_crop
        )
    if "colorizer" in only:
        train_colorizer(args.photos, args.out, args.steps_colorizer, args.batch_size)
    if "style" in only:
        train_style(
            args.photos,
            args.out,
            args.steps_style,
            4,
            args.style_crop,
            args.style_weight,
            args.style_init,
            args.style_normalization,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
