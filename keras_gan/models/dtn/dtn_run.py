"""How `keras-gan train dtn` reads its data, trains f and the judge, and is judged.

`--data` is an unpaired folder with a sub-folder per digit (what `keras-gan make-data
digits` writes): `trainA/<digit>/` source images, `trainB/<digit>/` target images, and
held out `testA/`, `testB/` (or `valA/`, `valB/`), split as `keras_gan.data.splits`
defines. Before the DTN trains (not on `--resume`), f is pretrained on the source
training split for `f_pretrain_steps` steps and frozen; the judge is trained on the
target training split only. The held-out figure is the judge's accuracy on G(held-out
source digits) against their labels; its baseline is an untrained g's on the same f.
"""

from __future__ import annotations

import os

import numpy as np
import tensorflow as tf

from keras_gan.tasks.run_data import RunData

PAPER_ACCURACY = 0.9066  # DTN, SVHN -> MNIST (Taigman et al. 2017, Table 2)
SAMPLES = 10  # sample-sheet rows: one per digit
JUDGE_STEPS = 1500


def load_labelled_folder(directory: str, channels: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Images of `directory/<digit>/` as float32 [N, size, size, channels] in [-1, 1], labels."""
    from keras_gan.data.image_files import list_image_files, load_image

    labels_found = sorted(
        e for e in os.listdir(directory) if os.path.isdir(os.path.join(directory, e))
    )
    if not labels_found or any(not name.isdigit() or int(name) > 9 for name in labels_found):
        raise ValueError(
            f"{directory} must hold one sub-folder per digit (0 ... 9); it holds "
            f"{labels_found[:12]} (keras-gan make-data digits writes this layout)."
        )
    images, labels = [], []
    for name in labels_found:
        for path in list_image_files(os.path.join(directory, name)):
            image = load_image(path, channels)
            if image.shape[:2] != (size, size):
                image = tf.image.resize(image, (size, size), "area").numpy()
            images.append(image)
            labels.append(int(name))
    if not images:
        raise ValueError(f"{directory} holds no images.")
    array = np.stack(images).astype("float32") / 127.5 - 1.0
    return array, np.asarray(labels, "int64")


def _split_dirs(data: str) -> tuple[dict[str, str], str | None]:
    from keras_gan.data.splits import unpaired_splits

    if not os.path.isdir(data):
        raise ValueError(f"DTN trains on a folder (keras-gan make-data digits). Received: {data}")
    splits = unpaired_splits(data)
    dirs = {f"train{side}": os.path.join(data, f"{splits.train}{side}") for side in "AB"}
    missing = [d for d in dirs.values() if not os.path.isdir(d)]
    if missing:
        raise ValueError(f"{data} has no {missing[0]}: expected trainA/ and trainB/ folders.")
    if splits.held_out:
        for side in "AB":
            dirs[f"test{side}"] = os.path.join(data, f"{splits.held_out}{side}")
    return dirs, splits.held_out


def run_model_kwargs(cls, data: str, config) -> dict:
    kwargs = {"seed": config.seed}
    if config.image_size is not None:
        kwargs["image_size"] = config.image_size
    if config.channels is not None:
        kwargs["channels_a"] = config.channels
    return kwargs


def _pairs(source, target, batch_size: int, seed: int) -> tf.data.Dataset:
    def stream(images, offset):
        data = tf.data.Dataset.from_tensor_slices(images)
        data = data.shuffle(len(images), seed=seed + offset, reshuffle_each_iteration=True)
        return data.repeat().batch(batch_size, drop_remainder=True)

    return tf.data.Dataset.zip((stream(source, 0), stream(target, 1))).prefetch(2)


def untrained_baseline(model, images, labels, judge) -> float:
    """The judge's accuracy on an untrained g (same f, seeded) on the held-out digits."""
    import keras

    from keras_gan.models.dtn.dtn_classifiers import accuracy
    from keras_gan.models.dtn.dtn_networks import build_generator

    keras.utils.set_random_seed(model.seed)
    g = build_generator(
        tuple(model.f.output.shape[1:]), model.image_size, model.channels_b, model.g_filters
    )
    outputs = g.predict(model.f.predict(images, batch_size=256, verbose=0), verbose=0)
    return accuracy(judge, outputs, labels)


def _one_per_digit(images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The first image of each digit found, in order (the sample sheet's rows)."""
    picked = [int(np.flatnonzero(labels == d)[0]) for d in range(10) if np.any(labels == d)]
    return images[picked[:SAMPLES]]


def run_data(model, data: str, config) -> RunData:
    from keras_gan.models.dtn.dtn_classifiers import accuracy, pretrain_f, train_judge

    dirs, held_out_split = _split_dirs(os.fspath(data))
    size, channels_a, channels_b = model.image_size, model.channels_a, model.channels_b
    source, source_labels = load_labelled_folder(dirs["trainA"], channels_a, size)
    target, target_labels = load_labelled_folder(dirs["trainB"], channels_b, size)
    facts = {"paper_svhn_to_mnist": PAPER_ACCURACY}
    held = None
    if held_out_split:
        held = load_labelled_folder(dirs["testA"], channels_a, size)
        target_test = load_labelled_folder(dirs["testB"], channels_b, size)
    if not config.resume:
        classifier = pretrain_f(
            model.f, source, source_labels, model.f_pretrain_steps, seed=model.seed
        )
        facts["f_accuracy_train"] = accuracy(classifier, source, source_labels)
        if held is not None:
            facts["f_accuracy_held_out_fonts"] = accuracy(classifier, *held)
    judge = train_judge(target, target_labels, JUDGE_STEPS, seed=model.seed)
    held_out = None
    if held is not None:
        facts["judge_accuracy_on_held_out_target"] = accuracy(judge, *target_test)
        facts["baseline"] = untrained_baseline(model, *held, judge)
        held_out = (held[0], held[1], judge, facts)
        shown = (_one_per_digit(*held), _one_per_digit(*target_test))
    else:
        shown = (_one_per_digit(source, source_labels), _one_per_digit(target, target_labels))
    train = _pairs(source, target, config.batch_size, config.seed)
    return RunData.per_pass(train, len(source), config, held_out, held_out_split, shown)


def held_out_scores(model, held_out, batch_size: int = 64) -> dict:
    """`judge_accuracy`: the target-only judge reads G(held-out source digits) as their
    labels (higher is better); `baseline` is an untrained g's, `paper_svhn_to_mnist`
    the paper's figure; f's and the judge's own accuracies come along."""
    from keras_gan.models.dtn.dtn_classifiers import accuracy

    images, labels, judge, facts = held_out
    translated = model.predict_images(images, batch_size)
    return {
        "metric": model.held_out_metric,
        "value": accuracy(judge, translated, labels),
        "lower_is_better": False,
        **facts,
    }
