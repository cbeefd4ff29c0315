"""An unpaired (CycleGAN) set from two Fashion-MNIST classes, e.g. sneaker <-> ankle boot."""

from __future__ import annotations

import os

import numpy as np
from PIL import Image

from keras_gan.data.fashion_mnist import (
    FASHION_MNIST_CLASSES,
    fashion_mnist_dir,
    load_fashion_mnist,
)
from keras_gan.data.sample_sets.output_folders import prepare_output_dir, write_manifest

_FOLDERS = ("trainA", "trainB", "testA", "testB")


def build_fashion_unpaired(
    out_dir: str | os.PathLike,
    class_a: str | int = "Sneaker",
    class_b: str | int = "Ankle boot",
    per_class_train: int = 1000,
    per_class_test: int = 200,
    image_size: int = 32,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
    overwrite: bool = False,
) -> dict:
    """Writes `trainA/ trainB/ testA/ testB/` PNGs of two Fashion-MNIST classes.

    Training images are drawn at random (without replacement, fixed by `seed`) from
    Fashion-MNIST's training split and test images from its test split, so no image is in
    both. Each PNG is named by its index in its Fashion-MNIST split (`01234.png`); grayscale,
    resized from 28 to `image_size` with Pillow's bicubic filter (28 keeps the originals;
    32 suits networks that halve the size several times). A `manifest.json` records the
    classes, counts, indices and origin.

    Args:
        out_dir: the data set root to write (created when missing).
        class_a, class_b: class names (`FASHION_MNIST_CLASSES`, any case) or labels 0..9.
        per_class_train: images per side from the training split (at most 6000).
        per_class_test: images per side from the test split (at most 1000).
        image_size: the side of the written images.
        seed: picks the images.
        data_dir: the Fashion-MNIST folder; see `keras_gan.data.load_fashion_mnist`.
        overwrite: replace PNGs left in the four folders by an earlier build.

    Returns:
        The manifest, as written to `out_dir/manifest.json`.

    Raises:
        FileNotFoundError: when Fashion-MNIST is not installed (the message says how).
        ValueError: on an unknown or repeated class, counts beyond a class's size, bad
            `image_size`, or an output folder that already holds files.
    """
    label_a, label_b = _label(class_a, "class_a"), _label(class_b, "class_b")
    if label_a == label_b:
        raise ValueError(
            "`class_a` and `class_b` must differ. "
            f"Received: class_a={class_a!r}, class_b={class_b!r}"
        )
    for name, value in (("per_class_train", per_class_train), ("per_class_test", per_class_test)):
        if not _is_int(value) or value <= 0:
            raise ValueError(f"`{name}` must be a positive int. Received: {name}={value!r}")
    if not _is_int(image_size) or image_size < 8:
        raise ValueError(f"`image_size` must be an int >= 8. Received: image_size={image_size!r}")
    splits = {
        "train": load_fashion_mnist("train", data_dir),
        "test": load_fashion_mnist("test", data_dir),
    }
    rng = np.random.default_rng(seed)
    indices = {}
    for folder in _FOLDERS:  # choose everything first: no files are written on an error
        split, label = folder[:-1], label_a if folder.endswith("A") else label_b
        count = per_class_train if split == "train" else per_class_test
        candidates = np.flatnonzero(splits[split][1] == label)
        if count > len(candidates):
            raise ValueError(
                f"Fashion-MNIST's {split} split has {len(candidates)} images of "
                f"{FASHION_MNIST_CLASSES[label]!r}. Received: per_class_{split}={count}"
            )
        indices[folder] = np.sort(rng.choice(candidates, count, replace=False)).tolist()
    folders = prepare_output_dir(out_dir, _FOLDERS, overwrite)
    for folder, chosen in indices.items():
        images = splits[folder[:-1]][0]
        for index in chosen:
            image = Image.fromarray(images[index])
            if image_size != image.width:
                image = image.resize((image_size, image_size), Image.Resampling.BICUBIC)
            image.save(os.path.join(folders[folder], f"{index:05d}.png"))
    manifest = {
        "name": "fashion_unpaired",
        "task": f"{FASHION_MNIST_CLASSES[label_a]} <-> {FASHION_MNIST_CLASSES[label_b]} "
        "(unpaired image-to-image, CycleGAN layout)",
        "layout": "trainA/ trainB/ testA/ testB/; A and B hold different images",
        "source": "Fashion-MNIST (Zalando Research), Debian package dataset-fashion-mnist",
        "source_dir": fashion_mnist_dir(data_dir),
        "licence": "MIT (Fashion-MNIST, Zalando SE)",
        "class_a": FASHION_MNIST_CLASSES[label_a],
        "class_b": FASHION_MNIST_CLASSES[label_b],
        "image_size": image_size,
        "channels": 1,
        "seed": seed,
        "counts": {folder: len(indices[folder]) for folder in _FOLDERS},
        "indices": indices,
        "indices_refer_to": {
            "trainA": "train",
            "trainB": "train",
            "testA": "test",
            "testB": "test",
        },
    }
    write_manifest(out_dir, manifest)
    return manifest


def _label(value: str | int, name: str) -> int:
    if _is_int(value) and 0 <= value < len(FASHION_MNIST_CLASSES):
        return int(value)
    if isinstance(value, str):
        lowered = [c.lower() for c in FASHION_MNIST_CLASSES]
        if value.strip().lower() in lowered:
            return lowered.index(value.strip().lower())
    raise ValueError(
        f"`{name}` must be a Fashion-MNIST class name ({', '.join(FASHION_MNIST_CLASSES)}) "
        f"or a label 0..9. Received: {name}={value!r}"
    )


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
