"""How a StyleTransfer run gets its style, reads photos and is judged (vs the untrained net)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tensorflow as tf

from keras_gan.data.held_out_photos import photo_folders
from keras_gan.data.image_files import list_image_files
from keras_gan.data.photo_crops import photo_crop_dataset
from keras_gan.tasks.run_data import RunData

CROPS_PER_IMAGE = 8
HELD_OUT_CROPS = 4  # per held-out photo, fixed (unshuffled) so before/after compare alike


def style_image_paths(model, config) -> list[str]:
    """`--style-image` paths, else the preset's style images (the first path that exists)."""
    if config.style_images:
        missing = [p for p in config.style_images if not Path(p).exists()]
        if missing:
            raise FileNotFoundError(f"No style image at {', '.join(missing)}.")
        return list(config.style_images)
    entry = type(model).presets.get(config.preset, {}) if config.preset else {}
    paths = []
    for style in entry.get("style_images", ()):
        found = next((p for p in style["paths"] if Path(p).exists()), None)
        if found is None:
            raise FileNotFoundError(
                f"Preset {config.preset!r}'s style image is missing ({style['description']}; "
                f"looked for {', '.join(style['paths'])}): pass --style-image PATH."
            )
        paths.append(found)
    if not paths:
        raise ValueError(
            "style_transfer needs its style image(s): pass --style-image PATH (once per "
            "style), or --preset with a style."
        )
    return paths


def style_run_data(model, data: str, config) -> RunData:
    """Sets the style images; random crops to train on; fixed crops of held-out photos."""
    from keras_gan.models.style_transfer.style_images import load_style_image

    paths = style_image_paths(model, config)
    if len(paths) != model.num_styles:
        raise ValueError(
            f"The model has {model.num_styles} style(s) but {len(paths)} style image(s) were "
            f"given: {paths}."
        )
    model.set_style_images([load_style_image(path) for path in paths])
    train_folder, held_out_folder, split = photo_folders(data)
    crop = config.image_size or model.image_size
    train = photo_crop_dataset(
        train_folder, crop, config.batch_size, crops_per_image=CROPS_PER_IMAGE, seed=config.seed
    )
    held_out = None
    if held_out_folder:
        held_out = photo_crop_dataset(
            held_out_folder,
            crop,
            HELD_OUT_CROPS,
            crops_per_image=HELD_OUT_CROPS,
            repeat=False,
            shuffle=False,
            seed=7,
        )
    source = (
        held_out
        if held_out is not None
        else photo_crop_dataset(train_folder, crop, 6, repeat=False, shuffle=False, seed=7)
    )
    crops = np.concatenate([np.asarray(batch) for batch in source.take(2)])[:6]
    count = len(list_image_files(train_folder)) * CROPS_PER_IMAGE
    return RunData.per_pass(train, count, config, held_out, split, examples=(crops, crops))


def style_held_out_scores(model, held_out: tf.data.Dataset) -> dict:
    """The weighted loss terms (VGG16) on the fixed held-out crops; lower is better."""
    logs = model.evaluate(held_out, verbose=0, return_dict=True)
    return {
        "metric": model.held_out_metric,
        "value": float(logs["loss"]),
        "lower_is_better": True,
        **{name: float(logs[name]) for name in ("content", "style", "tv") if name in logs},
    }
