"""Judging a trained model: FID, KID and IS of its outputs; PSNR, SSIM and LPIPS against references.

`evaluate_model` is the library call behind `keras-gan eval`. What the data means depends on
the family (`family_kind`):

- `noise` (DCGAN, WGAN, CGAN, ...): real images; `num_samples` samples are generated and
  compared with them as distributions (`frechet`, `kid`, `inception_score`).
- `super_resolution`: high-resolution photos, each cropped to a multiple of the scale and
  shrunk with `keras_gan.data.downscale` (the training degradation); the model's upscaled
  output is compared with the photo, and so is the bicubic upscale (the baseline).
- `colorization`: colour photos; the model colours their L channel; the baseline is the gray
  photo (a = b = 0).
- `paired` (Pix2Pix): `(sources, targets)`; no baseline.
- `unpaired` (CycleGAN, style transfer): no reference output per image, so only the
  distribution metrics, between the outputs and the reference images.

The helpers are shared with the `QualityEvaluation` callback.
"""

from __future__ import annotations

import os

import numpy as np

DISTRIBUTION_METRICS = ("frechet", "kid", "inception_score")
"""Metrics comparing the set of outputs with the set of reference images."""
REFERENCE_METRICS = ("psnr", "ssim", "lpips")
"""Metrics comparing each output with its own reference image."""
METRICS = DISTRIBUTION_METRICS + REFERENCE_METRICS
ALIASES = {"fid": "frechet", "is": "inception_score"}
"""Other names accepted for metrics (`keras-gan eval --metrics fid,is`)."""
KINDS = ("noise", "super_resolution", "colorization", "paired", "unpaired")


def check_metrics(metrics, valid: tuple[str, ...] = METRICS) -> tuple[str, ...]:
    """The canonical names of `metrics` (a list or a comma-separated string), checked.

    Raises:
        ValueError: on an unknown name (the message lists the valid ones) or no name.
    """
    if isinstance(metrics, str):
        metrics = metrics.split(",")
    names = []
    for metric in metrics:
        key = str(metric).strip().lower()
        key = ALIASES.get(key, key)
        if key not in valid:
            aliases = ", ".join(f"{a} = {n}" for a, n in ALIASES.items() if n in valid)
            raise ValueError(
                f"Unknown metric {metric!r}. Valid metrics: {', '.join(valid)}"
                + (f" (aliases: {aliases})" if aliases else "")
                + "."
            )
        if key not in names:
            names.append(key)
    if not names:
        raise ValueError(f"No metric given. Valid metrics: {', '.join(valid)}.")
    return tuple(names)


def family_kind(model) -> str:
    """How `evaluate_model` treats `model`: one of `KINDS`."""
    from keras_gan.models.colorization.colorizer_gan import Colorizer
    from keras_gan.models.gan import GAN
    from keras_gan.models.pix2pix.pix2pix_gan import Pix2Pix
    from keras_gan.models.super_resolution.sr_model import SuperResolutionModel

    if isinstance(model, GAN):
        return "noise"
    if isinstance(model, SuperResolutionModel):
        return "super_resolution"
    if isinstance(model, Colorizer):
        return "colorization"
    if isinstance(model, Pix2Pix):
        return "paired"
    return "unpaired"


# ------------------------------------------------------------------ shared helpers
def _groups_by_shape(images) -> list[tuple[list[int], np.ndarray]]:
    """`(indices, stacked images)` per distinct image shape, for arrays or lists of any sizes."""
    if isinstance(images, np.ndarray) and images.ndim == 4:
        return [(list(range(len(images))), images)]
    groups: dict[tuple, list[int]] = {}
    for index, image in enumerate(images):
        groups.setdefault(np.shape(image), []).append(index)
    return [
        (indices, np.stack([np.asarray(images[i], "float32") for i in indices]))
        for indices in groups.values()
    ]


def image_features(network, images, batch_size: int = 100) -> np.ndarray:
    """`network`'s outputs `[N, D]` for images in [-1, 1], an array or a list of any sizes."""
    rows: list = [None] * len(images)
    for indices, batch in _groups_by_shape(images):
        values = np.asarray(network.predict(batch, batch_size=batch_size, verbose=0))
        for index, value in zip(indices, values, strict=True):
            rows[index] = value
    return np.stack(rows).astype("float64")


def distribution_scores(
    metrics,
    real_features: np.ndarray,
    generated_features: np.ndarray,
    generated_probabilities: np.ndarray | None = None,
    seed: int = 0,
) -> dict[str, float]:
    """`frechet`, `kid` (its mean) and `inception_score` (its mean) of the generated set.

    Args:
        metrics: names among `DISTRIBUTION_METRICS`.
        real_features, generated_features: `[N, D]` and `[M, D]` features.
        generated_probabilities: `[M, K]` class probabilities, for `inception_score`.
        seed: the seed of KID's random subsets.
    """
    scores = {}
    for metric in check_metrics(metrics, DISTRIBUTION_METRICS):
        if metric == "frechet":
            from keras_gan.metrics import frechet_distance_from_features

            scores[metric] = frechet_distance_from_features(real_features, generated_features)
        elif metric == "kid":
            from keras_gan.metrics import kernel_distance

            size = min(1000, len(real_features), len(generated_features))
            mean, _ = kernel_distance(
                real_features, generated_features, num_subsets=100, subset_size=size, seed=seed
            )
            scores[metric] = float(mean)
        else:
            from keras_gan.metrics import inception_score

            splits = max(1, min(10, len(generated_probabilities) // 2))
            scores[metric] = float(inception_score(generated_probabilities, splits=splits)[0])
    return scores


def reference_scores(
    metrics,
    outputs,
    targets,
    y_channel: bool = False,
    shave: int = 0,
    lpips_batch_size: int = 8,
) -> dict[str, float]:
    """Means over image pairs of `psnr`, `ssim` (`keras_gan.metrics`) and `lpips`.

    Args:
        metrics: names among `REFERENCE_METRICS`.
        outputs, targets: images in [-1, 1], arrays `[N, H, W, C]` or lists of `[H, W, C]`
            (a pair's two images have the same shape; pairs may differ).
        y_channel, shave: PSNR and SSIM on BT.601 luma, without `shave` border pixels.
    """
    if len(outputs) != len(targets) or not len(outputs):
        raise ValueError(
            f"outputs and targets must be as many, at least one. Received: {len(outputs)} "
            f"outputs, {len(targets)} targets"
        )
    scores = {}
    for metric in check_metrics(metrics, REFERENCE_METRICS):
        if metric == "lpips":
            from keras_gan.metrics import lpips

            values = np.zeros(len(outputs))
            for indices, batch in _groups_by_shape(outputs):
                reference = np.stack([np.asarray(targets[i], "float32") for i in indices])
                values[indices] = lpips(batch, reference, batch_size=lpips_batch_size)
        else:
            from keras_gan.metrics import psnr, ssim

            function = psnr if metric == "psnr" else ssim
            values = [
                function(output, target, y_channel=y_channel, shave=shave)
                for output, target in zip(outputs, targets, strict=True)
            ]
        scores[metric] = float(np.mean(values))
    return scores


def resolve_extractor(extractor, purpose: str = "features"):
    """A feature network (or class-probability network) from a name or a model."""
    if not isinstance(extractor, str):
        return extractor
    from keras_gan.metrics import class_probabilities, feature_extractor

    return feature_extractor(extractor) if purpose == "features" else class_probabilities(extractor)


# --------------------------------------------------------------------------- loading
def load_images(
    directory: str | os.PathLike, channels: int = 3, limit: int | None = None
) -> list[np.ndarray]:
    """Every readable image under `directory` (sorted, recursively) as float32 in [-1, 1].

    Unreadable files are skipped with one `CorruptImageWarning` naming them.

    Raises:
        FileNotFoundError: when `directory` is not a folder.
        ValueError: when it holds no readable image.
    """
    from keras_gan.data.image_files import load_image, readable_image_files

    if not os.path.isdir(directory):
        raise FileNotFoundError(f"No such folder: {os.fspath(directory)!r}")
    paths = readable_image_files(os.fspath(directory), stacklevel=3)[:limit]
    return [load_image(path, channels).astype("float32") / 127.5 - 1.0 for path in paths]


def _test_split(directory: str) -> str | None:
    """`test` when a paired data set holds a test split, else None (the folder itself)."""
    for candidate in (os.path.join(directory, "test"), os.path.join(directory, "A", "test")):
        if os.path.isdir(candidate):
            return "test"
    return None


def load_evaluation_data(model, data: str, limit: int | None = None):
    """What `evaluate_model` needs for `model`'s family, read from a folder.

    `data` is a folder (or `fashion-mnist`, its test split, for noise-to-image models); see
    the module docstring for what each family reads.
    """
    kind = family_kind(model)
    if kind == "noise":
        return _real_images(model, data, limit)
    if data == "fashion-mnist":
        raise ValueError(
            f"--data fashion-mnist is for noise-to-image models, not {type(model).__name__}: "
            "pass a folder of images."
        )
    if not os.path.isdir(data):
        raise FileNotFoundError(f"No such folder: {data!r}")
    if kind == "paired":
        from keras_gan.data.paired import paired_examples

        channels = (model.input_channels, model.output_channels)
        if model.direction == "BtoA":
            channels = channels[::-1]
        return paired_examples(
            data,
            image_size=model.image_size,
            channels=channels,
            direction=model.direction,
            limit=limit,
            split=_test_split(data),
        )
    if kind == "unpaired" and hasattr(model, "translate"):  # CycleGAN: testA -> testB
        from keras_gan.data.unpaired import unpaired_examples

        split = "test" if os.path.isdir(os.path.join(data, "testA")) else "train"
        return unpaired_examples(data, split=split, image_size=model.image_size, limit=limit)
    return load_images(data, 3, limit)


def _real_images(model, data: str, limit: int | None) -> np.ndarray:
    import tensorflow as tf

    height, width, channels = model.generator.output_shape[1:]
    if data == "fashion-mnist":
        from keras_gan.data import load_fashion_mnist

        images, _ = load_fashion_mnist("test")
        images = images[:limit].astype("float32") / 127.5 - 1.0
        if images.ndim == 3:
            images = images[..., None]
    else:
        images = load_images(data, channels, limit)
    resized = [
        image
        if image.shape[:2] == (height, width)
        else np.asarray(tf.image.resize(image, (height, width), "area"))
        for image in images
    ]
    return np.stack(resized).astype("float32")


# ------------------------------------------------------------------------ evaluation
def default_features(model) -> str:
    """`fashion` for 28x28 one-channel noise models, `inception` otherwise."""
    if family_kind(model) == "noise" and tuple(model.generator.output_shape[1:]) == (28, 28, 1):
        return "fashion"
    return "inception"


def evaluate_model(
    model,
    data,
    metrics,
    features: str | None = None,
    num_samples: int = 1000,
    y_channel: bool | None = None,
    shave: int | None = None,
    batch_size: int = 16,
    limit: int | None = None,
    seed: int = 0,
) -> dict:
    """Scores `model` on `data`: the model's and, where one exists, the baseline's values.

    Args:
        model: a keras-gan model.
        data: a folder (or `fashion-mnist`), read with `load_evaluation_data`, or what it
            returns: real images (noise), photos (super-resolution, colorization, style
            transfer: an array or a list of any sizes), `(sources, targets)` (Pix2Pix),
            `(images_a, images_b)` (CycleGAN).
        metrics: names among `METRICS` (or `ALIASES`), a list or a comma-separated string.
        features: the feature network of `frechet`, `kid` and `inception_score`:
            `inception`, `vgg16` or `fashion`; default `default_features(model)`.
        num_samples: samples generated by noise-to-image models.
        y_channel, shave: PSNR/SSIM on BT.601 luma without `shave` border pixels. Default
            for super-resolution: luma and `shave = scale` (the papers' convention);
            otherwise RGB and no shave.
        batch_size: images per forward pass.
        limit: read at most this many images (or pairs) from a folder.
        seed: the seed of the generated samples and of KID's subsets.

    Returns:
        A dict: `family`, `kind`, `num_images` (reference images), `num_outputs` (images
        the model made), `features`, `y_channel`, `shave` and
        `metrics`: `{name: {"model": value, "baseline": value or None}}`.

    Raises:
        ValueError: on an unknown metric, one that does not apply to the family, or data
            that does not fit the family.
    """
    metrics = check_metrics(metrics)
    kind = family_kind(model)
    family = type(model).__name__
    if kind in ("noise", "unpaired"):
        refused = [m for m in metrics if m in REFERENCE_METRICS]
        if refused:
            why = "generates from noise" if kind == "noise" else "learns from unpaired data"
            raise ValueError(
                f"{', '.join(refused)}: these compare each output with its reference image, "
                f"and {family} has none (it {why}); use {', '.join(DISTRIBUTION_METRICS)} "
                "(fid, kid, is)."
            )
    networks, features_name = None, None
    if any(m in DISTRIBUTION_METRICS for m in metrics):
        # Loaded first: a missing weights file fails before any image is processed.
        features_name = features if features is not None else default_features(model)
        networks = (
            resolve_extractor(features_name),
            resolve_extractor(features_name, "probabilities")
            if "inception_score" in metrics
            else None,
        )
    if isinstance(data, (str, os.PathLike)):
        data = load_evaluation_data(model, os.fspath(data), limit)
    outputs, references, baseline, count = _outputs(
        model, kind, data, num_samples, batch_size, seed
    )
    if kind == "super_resolution":
        y_channel = True if y_channel is None else y_channel
        shave = model.scale if shave is None else shave
    y_channel, shave = bool(y_channel), int(shave or 0)
    model_scores, baseline_scores = _scores(
        metrics, outputs, references, baseline, networks, y_channel, shave, batch_size, seed
    )
    return {
        "family": family,
        "kind": kind,
        "num_images": int(count),
        "num_outputs": len(outputs),
        "features": features_name,
        "y_channel": y_channel,
        "shave": shave,
        "metrics": {
            name: {"model": model_scores[name], "baseline": baseline_scores.get(name)}
            for name in metrics
        },
    }


def _outputs(model, kind, data, num_samples, batch_size, seed):
    """`(outputs, references, baseline outputs or None, number of reference images)`."""
    if kind == "noise":
        real = np.asarray(data, "float32")
        if real.ndim != 4 or not len(real):
            raise ValueError(f"Expected real images [N, H, W, C]. Received shape {real.shape}")
        if int(num_samples) < 2:
            raise ValueError(f"num_samples must be >= 2. Received: num_samples={num_samples}")
        return (
            model.generate(int(num_samples), seed=seed, batch_size=batch_size),
            real,
            None,
            len(real),
        )
    if kind in ("paired", "unpaired") and isinstance(data, tuple):
        sources, targets = data
        if not len(sources) or not len(targets):
            raise ValueError("The data holds no images (or no pairs).")
        return model.translate(sources, batch_size=batch_size), targets, None, len(targets)
    photos = [np.clip(np.asarray(photo, "float32"), -1.0, 1.0) for photo in data]
    if not photos:
        raise ValueError("The data holds no images.")
    if kind == "super_resolution":
        from keras_gan.data.super_resolution import bicubic_upscale, crop_to_multiple, downscale

        targets, outputs, baseline = [], [], []
        for photo in photos:
            target = crop_to_multiple(photo, model.scale)
            low = np.asarray(downscale(target, model.scale))
            targets.append(target)
            outputs.append(model.upscale(low))
            baseline.append(np.clip(np.asarray(bicubic_upscale(low, model.scale)), -1.0, 1.0))
        return outputs, targets, baseline, len(photos)
    if kind == "colorization":
        outputs = [model.colorize(photo) for photo in photos]
        return outputs, photos, [_gray_rgb(photo) for photo in photos], len(photos)
    outputs = [model.stylize(photo) for photo in photos]  # style transfer
    return outputs, photos, None, len(photos)


def _gray_rgb(photo: np.ndarray) -> np.ndarray:
    """The photo with its L kept and a = b = 0, RGB in [-1, 1]: the colorization baseline."""
    from keras_gan.layers.lab_color import lab_to_rgb, rgb_to_lab

    lab = np.asarray(rgb_to_lab((photo + 1.0) * 0.5)) * np.array([1.0, 0.0, 0.0], "float32")
    return np.asarray(lab_to_rgb(lab), "float32") * 2.0 - 1.0


def _scores(metrics, outputs, references, baseline, networks, y_channel, shave, batch, seed):
    model_scores, baseline_scores = {}, {}
    reference = [m for m in metrics if m in REFERENCE_METRICS]
    if reference:
        model_scores.update(reference_scores(reference, outputs, references, y_channel, shave))
        if baseline is not None:
            baseline_scores.update(
                reference_scores(reference, baseline, references, y_channel, shave)
            )
    distribution = [m for m in metrics if m in DISTRIBUTION_METRICS]
    if distribution:
        network, classifier = networks
        real = image_features(network, references, batch)
        for target, images in ((model_scores, outputs), (baseline_scores, baseline)):
            if images is None:
                continue
            probabilities = None if classifier is None else image_features(classifier, images)
            target.update(
                distribution_scores(
                    distribution, real, image_features(network, images, batch), probabilities, seed
                )
            )
    return model_scores, baseline_scores
