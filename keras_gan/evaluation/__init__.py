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

The helpers are shared with the `QualityEvaluation` callback: `metric_names` (what may be
asked), `data` (reading folders), `scores` (computing them), `evaluate` (`evaluate_model`).
"""

from keras_gan.evaluation.data import load_evaluation_data, load_images
from keras_gan.evaluation.evaluate import evaluate_model
from keras_gan.evaluation.metric_names import (
    ALIASES,
    DISTRIBUTION_METRICS,
    KINDS,
    METRICS,
    REFERENCE_METRICS,
    check_metrics,
    default_features,
    family_kind,
)
from keras_gan.evaluation.scores import (
    distribution_scores,
    image_features,
    reference_scores,
    resolve_extractor,
)

__all__ = [
    "ALIASES",
    "DISTRIBUTION_METRICS",
    "KINDS",
    "METRICS",
    "REFERENCE_METRICS",
    "check_metrics",
    "default_features",
    "distribution_scores",
    "evaluate_model",
    "family_kind",
    "image_features",
    "load_evaluation_data",
    "load_images",
    "reference_scores",
    "resolve_extractor",
]
