"""Feature networks for the Fréchet and kernel distances (FID/KID) and the Inception Score.

Every extractor is a Keras model mapping float32 images `[N, H, W, C]` in `[-1, 1]` (C = 1 or 3)
to features `[N, D]`, so it plugs into `FrechetDistance` / `KernelDistance`:

- `"inception"`: InceptionV3 pool3, D = 2048, the standard FID/KID features. Needs Keras'
  ImageNet file (`find_inception_weights`); comparable with published numbers.
- `"vgg16"`: ImageNet VGG16 `block5_conv3` (after ReLU) averaged over positions, D = 512. The
  deepest convolution is the most semantic VGG layer that keeps any input size (the classifier
  layers need 224x224); averaging mirrors Inception's pool3. Inputs at least 32x32. Uses the
  converted weights that the perceptual losses already need (`make weights`), so it runs here.
- `"fashion"`: the project's Fashion-MNIST classifier, its 128-d `"features"` layer. Images are
  converted to grayscale (BT.601 luma) and resized bilinearly to 28x28 inside the model.
"""

import keras

from keras_gan.metrics.fashion_classifier import (
    build_fashion_classifier,
    default_classifier_path,
    fashion_features,
    load_fashion_classifier,
)
from keras_gan.metrics.inception import (
    PrepareImages,
    inception_features,
    inception_probabilities,
)
from keras_gan.perceptual.vgg_features import VGGFeatures
from keras_gan.perceptual.weights import MissingWeightsError

FEATURE_EXTRACTORS = ("inception", "vgg16", "fashion")
CLASSIFIERS = ("inception", "fashion")
VGG_FEATURE_LAYER = "block5_conv3"


def _check_name(name: str, allowed: tuple) -> str:
    if name not in allowed:
        raise ValueError(
            f"Unknown feature network. Expected one of {list(allowed)}. Received: {name!r}"
        )
    return name


def _fashion_classifier(weights) -> keras.Model:
    """The trained classifier (`"default"` or a path), or an untrained one for `None`."""
    if weights is None:
        return build_fashion_classifier()
    path = default_classifier_path() if weights == "default" else str(weights)
    try:
        return load_fashion_classifier(path, train_if_missing=False)
    except FileNotFoundError as error:
        raise MissingWeightsError(
            f"No trained Fashion-MNIST classifier at {path!r}. Train it once (a few minutes on "
            'a CPU) with `python -c "from keras_gan.metrics import load_fashion_classifier; '
            'load_fashion_classifier(train_if_missing=True)"`, which saves it there '
            "(set $KERAS_GAN_CACHE_DIR to choose the folder)."
        ) from error


def _fashion_input(head: keras.Model, name: str) -> keras.Model:
    images = keras.Input((None, None, None), name="images")
    x = PrepareImages(1, (28, 28), name="prepare")(images)
    return keras.Model(images, head(x, training=False), name=name)


def _vgg16_features(weights) -> keras.Model:
    images = keras.Input((None, None, None), name="images")
    x = PrepareImages(3, name="prepare")(images)
    vgg_weights = "imagenet" if weights == "default" else weights
    vgg = VGGFeatures("vgg16", layer_names=(VGG_FEATURE_LAYER,), weights=vgg_weights, name="vgg16")
    features = keras.layers.GlobalAveragePooling2D(name="average")(vgg(x)[0])
    return keras.Model(images, features, name="vgg16_block5_conv3_average")


def feature_extractor(name: str, weights="default") -> keras.Model:
    """Returns the feature network `name` (one of `FEATURE_EXTRACTORS`).

    Args:
        name: `"inception"` (D = 2048), `"vgg16"` (D = 512) or `"fashion"` (D = 128).
        weights: `"default"` (the local file each network uses; see the module docstring), a
            path to such a file, or `None` for random weights (tests only).

    Returns:
        A model mapping float32 images `[N, H, W, 1 or 3]` in `[-1, 1]` to `[N, D]`.

    Raises:
        ValueError: unknown `name`.
        keras_gan.perceptual.weights.MissingWeightsError: the weights file is missing; the
            message says how to get it.
    """
    _check_name(name, FEATURE_EXTRACTORS)
    if name == "inception":
        return inception_features(weights)
    if name == "vgg16":
        return _vgg16_features(weights)
    return _fashion_input(fashion_features(_fashion_classifier(weights)), "fashion_features")


def class_probabilities(name: str, weights="default") -> keras.Model:
    """Returns a classifier for the Inception Score: images in `[-1, 1]` -> softmax `[N, K]`.

    Args:
        name: `"inception"` (ImageNet, K = 1000; needs the weights file with the top) or
            `"fashion"` (the project's Fashion-MNIST classifier, K = 10).
        weights: as `feature_extractor`.
    """
    _check_name(name, CLASSIFIERS)
    if name == "inception":
        return inception_probabilities(weights)
    classifier = _fashion_classifier(weights)
    softmax = keras.layers.Softmax(name="softmax")(classifier.output)
    head = keras.Model(classifier.input, softmax, name=f"{classifier.name}_softmax")
    return _fashion_input(head, "fashion_probabilities")
