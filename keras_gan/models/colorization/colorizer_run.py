"""How a Colorizer run reads photos, chooses its colour gain, and is judged (vs the gray photo)."""

from __future__ import annotations

import numpy as np

from keras_gan.data.held_out_photos import (
    center_crops,
    held_out_photos,
    photo_folders,
    shrink_photo,
)
from keras_gan.data.image_files import readable_image_files
from keras_gan.data.photo_crops import photo_crop_dataset
from keras_gan.tasks.run_data import RunData

CROPS_PER_IMAGE = 8
GAINS = tuple(round(0.05 * step, 2) for step in range(31))  # 0, 0.05, ..., 1.5


def calibration_files(files: list[str], count: int) -> list[str]:
    """`count` of the training photos `files` held back to choose the gain: evenly spaced
    in name order."""
    if count <= 0:
        return []
    if count >= len(files):
        raise ValueError(
            f"calibration_photos={count} leaves no photo to train on "
            f"({len(files)} training photos)."
        )
    picks = np.linspace(0, len(files) - 1, count + 2)[1:-1].round().astype(int)
    return [files[i] for i in sorted(set(picks.tolist()))]


def photo_run_data(model, data: str, config, crop: int) -> RunData:
    """Random crops of the training photos; whole held-out photos; center crops to show.

    With `model.calibration_photos`, that many training photos are left out of the crops
    and kept whole for `finish_run`.
    """
    train_folder, held_out_folder, split = photo_folders(data)
    files = readable_image_files(train_folder, stacklevel=3)
    held_back = calibration_files(files, getattr(model, "calibration_photos", 0))
    train = photo_crop_dataset(
        train_folder,
        crop,
        config.batch_size,
        crops_per_image=CROPS_PER_IMAGE,
        seed=config.seed,
        exclude=held_back,
    )
    photos = held_out_photos(held_out_folder) if held_out_folder else None
    crops = center_crops(photos or held_out_photos(train_folder, limit=6), crop)
    count = len(readable_image_files(train_folder, stacklevel=3)) - len(held_back)
    calibration = [shrink_photo(path) for path in held_back] or None
    return RunData.per_pass(
        train,
        count * CROPS_PER_IMAGE,
        config,
        photos,
        split,
        examples=(crops, crops),
        calibration=calibration,
    )


def psnr_by_gain(model, photos, gains=GAINS) -> dict[float, list[float]]:
    """RGB PSNR of each photo colorized from its L with the predicted ab times each gain."""
    from keras_gan.layers.lab_color import AB_SCALE, lab_to_rgb, normalize_lab, rgb_to_lab
    from keras_gan.models.colorization.colorizer_gan import rgb_psnr
    from keras_gan.utils.tiling import pad_to_multiple

    table = {gain: [] for gain in gains}
    for photo in photos:
        photo = np.clip(np.asarray(photo, "float32"), -1, 1)[None]
        lightness = np.asarray(normalize_lab(rgb_to_lab((photo + 1) * 0.5)))[..., :1]
        padded, (h, w) = pad_to_multiple(lightness, model.size_multiple)
        ab = np.asarray(model.ab_generator(padded, training=False))[:, :h, :w]
        for gain in gains:
            lab = np.concatenate([(lightness + 1) * 50, gain * ab * AB_SCALE], axis=-1)
            rgb = np.asarray(lab_to_rgb(lab)) * 2 - 1
            table[gain].append(float(rgb_psnr(rgb, photo)[0]))
    return table


def calibrate_ab_gain(model, photos, gains=GAINS) -> dict:
    """Sets `model.ab_gain` to the gain with the best mean RGB PSNR on `photos`.

    The photos must be ones the model did not train on (a run holds them back with
    `calibration_photos`); the gray photo is gain 0, so the gain chosen never scores
    below gray on them.
    """
    if not photos:
        raise ValueError("calibrate_ab_gain needs at least one photo.")
    table = psnr_by_gain(model, photos, gains)
    means = {gain: float(np.mean(values)) for gain, values in table.items()}
    best = max(means, key=means.get)
    model.ab_gain = best
    return {
        "ab_gain": best,
        "photos": len(photos),
        "mean_psnr_by_gain": {str(g): round(v, 3) for g, v in means.items()},
    }


def colorizer_held_out_scores(model, photos) -> dict:
    """RGB PSNR of whole held-out photos colorized from their L, vs the gray photo."""
    from keras_gan.evaluation import evaluate_model

    report = evaluate_model(model, photos, ("psnr",))["metrics"]["psnr"]
    return {
        "metric": model.held_out_metric,
        "value": report["model"],
        "baseline": report["baseline"],
        "baseline_name": "gray",
        "lower_is_better": False,
    }
