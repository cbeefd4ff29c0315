"""How SRGAN and ESRGAN runs read photos, compile for a phase and are judged (vs bicubic)."""

from __future__ import annotations

import keras
import numpy as np

from keras_gan.data.held_out_photos import center_crops, held_out_photos, photo_folders
from keras_gan.data.image_files import list_image_files
from keras_gan.data.super_resolution import downscale, super_resolution_dataset
from keras_gan.tasks.run_data import RunData

DEFAULT_HIGH_RES = 96  # HR crop side when --image-size is not given
CROPS_PER_IMAGE = 8


def sr_run_data(model, data: str, config) -> RunData:
    """HR crops of the training photos (LR made on the fly); whole held-out photos."""
    train_folder, held_out_folder, split = photo_folders(data)
    crop = config.image_size or DEFAULT_HIGH_RES
    if crop % model.scale:
        raise ValueError(
            f"--image-size (the high-res crop) must be a multiple of the scale {model.scale}. "
            f"Received: {crop}"
        )
    train = super_resolution_dataset(
        train_folder,
        model.scale,
        crop,
        config.batch_size,
        seed=config.seed,
        crops_per_image=CROPS_PER_IMAGE,
        cache=True,
    )
    photos = held_out_photos(held_out_folder) if held_out_folder else None
    source = photos or held_out_photos(train_folder, limit=6)
    high = center_crops(source, crop)
    low = np.asarray(downscale(high, model.scale), "float32")
    count = len(list_image_files(train_folder)) * CROPS_PER_IMAGE
    return RunData.per_pass(train, count, config, photos, split, examples=(low, high))


def sr_run_compile(model, config, steps_per_epoch: int) -> None:
    """The phase's Adam (`optimizer_settings`), the generator's rate cosine-decayed to 5 %."""
    model.set_phase(config.phase or model.phase)
    learning_rate, beta_1, beta_2 = model.optimizer_settings[model.phase]
    schedule = keras.optimizers.schedules.CosineDecay(
        config.learning_rate or learning_rate, steps_per_epoch * config.epochs, alpha=0.05
    )
    model.compile(
        g_optimizer=keras.optimizers.Adam(schedule, beta_1=beta_1, beta_2=beta_2),
        d_optimizer=keras.optimizers.Adam(learning_rate, beta_1=beta_1, beta_2=beta_2),
        jit_compile=config.jit_compile,
    )


def sr_held_out_scores(model, photos) -> dict:
    """PSNR / SSIM (luma, border of `scale` shaved) of whole held-out photos vs bicubic."""
    from keras_gan.evaluation import evaluate_model

    report = evaluate_model(model, photos, ("psnr", "ssim"))["metrics"]
    return {
        "metric": model.held_out_metric,
        "value": report["psnr"]["model"],
        "baseline": report["psnr"]["baseline"],
        "baseline_name": "bicubic",
        "lower_is_better": False,
        "ssim": report["ssim"]["model"],
        "ssim_baseline": report["ssim"]["baseline"],
    }
