"""Sample quality of every noise-to-image family on Fashion-MNIST.

For each family: train from its `<family>_fashion_mnist_28` preset with `train_run`
(the CLI's code path), then judge samples with the project's own Fashion-MNIST
classifier (trained once and cached; its test accuracy is reported):

- `frechet`: Fréchet distance between classifier features of N samples and of the
  10k test images; `frechet_floor` is the same distance for N real training images
  (real vs real), the best a generator can hope for.
- `conditional_accuracy` (CGAN, ACGAN): share of samples classified as the label asked for.
- `classes_present` (all families): classes among the samples' predicted classes that
  hold at least 1 % of them.

Prints JSON; with --out also writes it and a Markdown table beside it.

    python bench/quality.py --steps 3000 --out bench/out/quality.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from machine import machine_info  # noqa: E402

from keras_gan.data import load_fashion_mnist  # noqa: E402
from keras_gan.metrics.fashion_classifier import (  # noqa: E402
    fashion_features,
    load_classifier_report,
    load_fashion_classifier,
    preprocess_images,
)
from keras_gan.metrics.frechet import frechet_distance_from_features  # noqa: E402
from keras_gan.metrics.sample_quality import (  # noqa: E402
    class_histogram,
    classes_present,
    conditional_accuracy,
    generator_frechet,
)
from keras_gan.models import NOISE_FAMILIES as FAMILIES  # noqa: E402
from keras_gan.training import train_run  # noqa: E402


def evaluate_family(
    family, steps, batch_size, samples, run_root, classifier, features, test_features, ema_decay
):
    started = time.time()
    result = train_run(
        family,
        "fashion-mnist",
        Path(run_root) / family,
        preset=f"{family}_fashion_mnist_28",
        epochs=max(1, steps // 500),
        steps=min(steps, 500),
        batch_size=batch_size,
        model_kwargs={"ema_decay": ema_decay} if ema_decay else {},
        verbose=0,
    )
    model = result.model
    histogram = class_histogram(model, classifier, n=samples)
    row = {
        "family": family,
        "steps": result.epochs_done * min(steps, 500),
        "batch_size": batch_size,
        "train_seconds": round(result.seconds, 1),
        "frechet": round(generator_frechet(model, features, test_features, n=samples), 3),
        "class_histogram": histogram.tolist(),
        "classes_present": classes_present(histogram),
        "stopped_reason": result.stopped_reason,
    }
    if model.num_classes:
        row["conditional_accuracy"] = round(conditional_accuracy(model, classifier, n=samples), 4)
    row["seconds"] = round(time.time() - started, 1)
    return row


def markdown_table(report) -> str:
    lines = [
        "| family | steps (batch) | Fréchet distance ↓ | classes present | conditional accuracy |",
        "|---|---|---|---|---|",
    ]
    for row in report["results"]:
        accuracy = row.get("conditional_accuracy")
        lines.append(
            f"| {row['family']} | {row['steps']} ({row['batch_size']}) | {row['frechet']:.2f} | "
            f"{row['classes_present']}/10 | {'' if accuracy is None else f'{accuracy:.1%}'} |"
        )
    floor = report["frechet_floor"]
    lines.append(f"| real vs real (floor) | — | {floor:.2f} | 10/10 | — |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument(
        "--critic-steps",
        type=int,
        help="generator steps for WGAN and WGAN-GP, which take 5 critic steps each "
        "(default: half of --steps)",
    )
    parser.add_argument("--ema-decay", type=float, default=0.995)
    parser.add_argument("--runs", default="bench/out/quality_runs")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    classifier = load_fashion_classifier()
    features = fashion_features(classifier)
    test_images, _ = load_fashion_mnist("test")
    test_features = features.predict(preprocess_images(test_images), batch_size=1000, verbose=0)
    train_images, _ = load_fashion_mnist("train")
    floor_features = features.predict(
        preprocess_images(train_images[: args.samples]), batch_size=1000, verbose=0
    )
    report = {
        "benchmark": "quality",
        "machine": machine_info(),
        "feature_extractor": "keras_gan.metrics.fashion_classifier penultimate layer (128-d)",
        "classifier_test_accuracy": load_classifier_report().get("test_accuracy"),
        "samples": args.samples,
        "frechet_floor": round(frechet_distance_from_features(floor_features, test_features), 3),
        "results": [],
    }
    for family in args.families.split(","):
        steps = args.steps
        if family in ("wgan", "wgan_gp"):
            steps = args.critic_steps or args.steps // 2
        row = evaluate_family(
            family,
            steps,
            args.batch_size,
            args.samples,
            args.runs,
            classifier,
            features,
            test_features,
            args.ema_decay,
        )
        print(json.dumps(row), file=sys.stderr)
        report["results"].append(row)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        out.with_suffix(".md").write_text(markdown_table(report) + "\n")
    return report


if __name__ == "__main__":
    main()
