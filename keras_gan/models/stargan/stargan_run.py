"""How `keras-gan train stargan` reads its data, compiles and is judged on held-out data.

`--data` is Fashion-MNIST (`fashion-mnist` or its idx folder: ten classes, ten domains) or
an image folder with one sub-folder per domain (split into `train/` and `test/` or `val/`
as `keras_gan.data.splits` defines; the held-out split never trains).
"""

from __future__ import annotations

import os

import numpy as np

from keras_gan.tasks.run_data import RunData

HELD_OUT_LIMIT = 64
SAMPLES = 4


def fitting_repeat_num(image_size: int, limit: int = 6) -> int:
    """The most stride-2 discriminator convs (up to `limit`) that divide `image_size`."""
    repeat = 0
    while repeat < limit and image_size % 2 ** (repeat + 1) == 0:
        repeat += 1
    return max(1, repeat)


def run_model_kwargs(cls, data: str, config) -> dict:
    from keras_gan.data.fashion_mnist import FASHION_MNIST_CLASSES
    from keras_gan.data.splits import folder_splits, split_folder
    from keras_gan.models.stargan.stargan_data import class_names
    from keras_gan.tasks.image_generator import is_fashion_mnist

    kwargs = {"seed": config.seed, "label_mode": "one_hot"}
    if is_fashion_mnist(data):
        kwargs.update(c_dim=10, channels=1, image_size=32, domain_names=FASHION_MNIST_CLASSES)
    elif os.path.isdir(data):
        names = class_names(split_folder(data, folder_splits(data).train))
        kwargs.update(c_dim=len(names), domain_names=names)
    if config.image_size is not None:
        kwargs["image_size"] = config.image_size
    if config.channels is not None:
        kwargs["channels"] = config.channels
    kwargs["d_repeat_num"] = fitting_repeat_num(kwargs.get("image_size", 128))
    kwargs["domain_names"] = list(kwargs.get("domain_names") or []) or None
    return kwargs


def run_data(model, data: str, config) -> RunData:
    from keras_gan.data import class_folder_dataset, fashion_mnist_dataset
    from keras_gan.data.image_files import list_image_files
    from keras_gan.data.splits import folder_splits, split_folder
    from keras_gan.models.stargan.stargan_data import (
        class_folder_examples,
        class_names,
        fashion_examples,
    )
    from keras_gan.tasks.image_generator import is_fashion_mnist

    size, channels = model.image_size, model.channels
    if is_fashion_mnist(data):
        train = fashion_mnist_dataset(
            "train", config.batch_size, size, with_labels=True, seed=config.seed, repeat=True
        )
        held_out = fashion_examples(size, HELD_OUT_LIMIT)
        return RunData.per_pass(
            train, 60000, config, _vectors(model, held_out), "test", _examples(model, held_out)
        )
    splits = folder_splits(data)
    train_dir = split_folder(data, splits.train)
    names = class_names(train_dir)
    if len(names) != model.c_dim:
        raise ValueError(
            f"{train_dir} has {len(names)} domain sub-folders; the model has c_dim={model.c_dim}."
        )
    train, _ = class_folder_dataset(
        train_dir, size, channels, config.batch_size, seed=config.seed, repeat=True
    )
    count = len(list_image_files(train_dir))
    held_out = None
    if splits.held_out:
        held_out_dir = split_folder(data, splits.held_out)
        if class_names(held_out_dir) != names:
            raise ValueError(
                f"{held_out_dir} must hold the same domain sub-folders as {train_dir}: {names}."
            )
        held_out = class_folder_examples(held_out_dir, size, channels, HELD_OUT_LIMIT)
    shown = held_out or class_folder_examples(train_dir, size, channels, SAMPLES)
    return RunData.per_pass(
        train,
        count,
        config,
        None if held_out is None else _vectors(model, held_out),
        splits.held_out,
        _examples(model, shown),
    )


def _vectors(model, pair):
    images, labels = pair
    return images, model.domain_vectors(labels)


def _examples(model, pair):
    images, vectors = _vectors(model, pair)
    return images[:SAMPLES], vectors[:SAMPLES]


def run_compile(model, config, steps_per_epoch: int) -> None:
    """Adam(1e-4, 0.5, 0.999) for both; with --n-epochs-decay, the reference's decay."""
    import keras

    from keras_gan.models.stargan.stargan_schedule import StarGANDecay

    rate = config.learning_rate or 1e-4
    if config.n_epochs_decay:
        total = config.epochs * steps_per_epoch
        decay = config.n_epochs_decay * steps_per_epoch
        step = min(1000, steps_per_epoch)
        rates = [StarGANDecay(rate, total, decay, step, every) for every in (model.n_critic, 1)]
    else:
        rates = [rate, rate]
    optimizers = [keras.optimizers.Adam(r, beta_1=0.5, beta_2=0.999) for r in rates]
    model.compile(*optimizers, jit_compile=config.jit_compile)


def held_out_targets(model, source: np.ndarray) -> np.ndarray:
    """A target vector per held-out example, never its own domain where domains are one-hot.

    Example i goes to the i-th domain of the reference's `create_labels` list (cycling);
    in one-hot data sets that list starts after the example's own domain.
    """
    options = model.target_vectors(source)
    count = len(options)
    own = np.argmax(source[:, : model.num_domains], axis=-1)
    one_hot = model.label_mode == "one_hot" and not model.c2_dim
    chosen = [
        (own[i] + 1 + i % max(1, count - 1)) % count if one_hot else i % count
        for i in range(len(source))
    ]
    return np.stack([options[c][i] for i, c in enumerate(chosen)])


def held_out_scores(model, held_out, batch_size: int = 8) -> dict:
    """Reconstruction L1 of held-out images sent to a target and back (mean over pixels).

    On Fashion-MNIST also `target_share`: the share of translations the project's
    Fashion-MNIST classifier assigns to their target class (where it is cached).
    """
    images, source = held_out
    targets = held_out_targets(model, source)
    fake = model.predict_images(images, targets, batch_size)
    rebuilt = model.predict_images(fake, source, batch_size)
    scores = {
        "metric": model.held_out_metric,
        "value": float(np.mean(np.abs(rebuilt - images))),
        "lower_is_better": True,
    }
    share = _target_share(model, fake, targets)
    if share is not None:
        scores["target_share"] = share
    return scores


def _target_share(model, fake, targets):
    from keras_gan.data.fashion_mnist import FASHION_MNIST_CLASSES

    if model.domain_names != list(FASHION_MNIST_CLASSES) or model.channels != 1:
        return None
    import tensorflow as tf

    from keras_gan.metrics.fashion_classifier import (
        default_classifier_path,
        load_fashion_classifier,
    )

    try:
        classifier = load_fashion_classifier(default_classifier_path(), train_if_missing=False)
    except FileNotFoundError:
        return None
    small = tf.image.resize(fake, (28, 28)).numpy()
    predicted = np.argmax(classifier.predict(small, verbose=0), axis=-1)
    return float(np.mean(predicted == np.argmax(targets[:, :10], axis=-1)))
