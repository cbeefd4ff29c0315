"""How a Colorizer run reads photos and is judged (vs the gray photo)."""

from __future__ import annotations

from keras_gan.data.held_out_photos import center_crops, held_out_photos, photo_folders
from keras_gan.data.image_files import list_image_files
from keras_gan.data.photo_crops import photo_crop_dataset
from keras_gan.tasks.run_data import RunData

CROPS_PER_IMAGE = 8


def photo_run_data(model, data: str, config, crop: int) -> RunData:
    """Random crops of the training photos; whole held-out photos; center crops to show."""
    train_folder, held_out_folder, split = photo_folders(data)
    train = photo_crop_dataset(
        train_folder, crop, config.batch_size, crops_per_image=CROPS_PER_IMAGE, seed=config.seed
    )
    photos = held_out_photos(held_out_folder) if held_out_folder else None
    crops = center_crops(photos or held_out_photos(train_folder, limit=6), crop)
    count = len(list_image_files(train_folder)) * CROPS_PER_IMAGE
    return RunData.per_pass(train, count, config, photos, split, examples=(crops, crops))


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
