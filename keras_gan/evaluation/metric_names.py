"""The metric names `keras-gan eval` accepts, and how each family is judged."""

from __future__ import annotations

DISTRIBUTION_METRICS = ("frechet", "kid", "inception_score")
"""Metrics comparing the set of outputs with the set of reference images."""
REFERENCE_METRICS = ("psnr", "ssim", "lpips")
"""Metrics comparing each output with its own reference image."""
METRICS = DISTRIBUTION_METRICS + REFERENCE_METRICS
ALIASES = {"fid": "frechet", "is": "inception_score"}
"""Other names accepted for metrics (`keras-gan eval --metrics fid,is`)."""
KINDS = (
    "noise",
    "super_resolution",
    "colorization",
    "paired",
    "unpaired",
    "stylization",
    "multi_domain",
    "semantic",
)
WITHOUT_REFERENCE = ("noise", "unpaired", "stylization", "multi_domain")
"""Kinds whose outputs have no reference image of their own."""


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
    """How `evaluate_model` treats `model`: one of `KINDS`, as the family declares it."""
    kind = getattr(model, "evaluation_kind", None)
    if kind not in KINDS:
        raise ValueError(
            f"{type(model).__name__} is not a keras-gan family (its evaluation_kind is "
            f"{kind!r}; expected one of {KINDS})."
        )
    return kind


def default_features(model) -> str:
    """`fashion` for 28x28 one-channel noise models, `inception` otherwise."""
    if family_kind(model) == "noise" and tuple(model.generator.output_shape[1:]) == (28, 28, 1):
        return "fashion"
    return "inception"
