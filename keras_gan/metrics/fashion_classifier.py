"""A small Fashion-MNIST CNN the project trains itself, used as the feature network for FD.

No pretrained Inception weights exist offline, so noise-to-image GANs on Fashion-MNIST are judged
with this classifier's penultimate features (the `"features"` layer): the Fréchet distance between
real and generated features plays the role of FID. Images are float `[N, 28, 28, 1]` in `[-1, 1]`,
the range the generators output.
"""

import json
import os
import time

import keras
import numpy as np

from keras_gan.data.fashion_mnist import FASHION_MNIST_CLASSES, load_fashion_mnist

CLASS_NAMES = FASHION_MNIST_CLASSES
FEATURE_LAYER = "features"
CLASSIFIER_FILENAME = "fashion_classifier.keras"


def default_classifier_path() -> str:
    """Returns `$KERAS_GAN_CACHE_DIR/fashion_classifier.keras` (default dir `~/.cache/keras_gan`)."""
    cache_dir = os.environ.get("KERAS_GAN_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "keras_gan"
    )
    return os.path.join(cache_dir, CLASSIFIER_FILENAME)


def report_path(path: str) -> str:
    """Returns the JSON file recorded beside the classifier at `path` (`x.keras` -> `x.json`)."""
    return os.path.splitext(path)[0] + ".json"


def build_fashion_classifier(
    feature_dim: int = 128, dropout: float = 0.3, name: str = "fashion_classifier"
) -> keras.Model:
    """Builds the (untrained) CNN: images `[N, 28, 28, 1]` in `[-1, 1]` -> logits `[N, 10]`.

    Two conv stages (3x3 conv, max-pool, BN, ReLU, dropout) and a dense `"features"` layer of
    `feature_dim` units (post-ReLU), then dropout and the `"logits"` layer.
    """
    if feature_dim < 1:
        raise ValueError(
            f"`feature_dim` must be a positive int. Received: feature_dim={feature_dim}"
        )
    inputs = keras.Input((28, 28, 1), name="images")
    x = inputs
    for stage, filters in enumerate((32, 64)):
        # Pooling before BN + ReLU gives the same function class at a quarter of the BN cost.
        x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{stage}")(x)
        x = keras.layers.MaxPooling2D(name=f"pool{stage}")(x)
        x = keras.layers.BatchNormalization(name=f"bn{stage}")(x)
        x = keras.layers.ReLU(name=f"relu{stage}")(x)
        x = keras.layers.Dropout(dropout / 2, name=f"dropout{stage}")(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(feature_dim, use_bias=False)(x)
    x = keras.layers.BatchNormalization()(x)
    features = keras.layers.ReLU(name=FEATURE_LAYER)(x)
    x = keras.layers.Dropout(dropout)(features)
    logits = keras.layers.Dense(len(CLASS_NAMES), name="logits")(x)
    return keras.Model(inputs, logits, name=name)


def fashion_features(model: keras.Model) -> keras.Model:
    """Returns a model mapping images `[N, 28, 28, 1]` to the classifier's `"features"` output."""
    try:
        features = model.get_layer(FEATURE_LAYER).output
    except ValueError as e:
        raise ValueError(
            f"The classifier has no layer named {FEATURE_LAYER!r}; build it with "
            f"`build_fashion_classifier()`. Received model: {model.name!r}"
        ) from e
    return keras.Model(model.input, features, name=f"{model.name}_features")


def preprocess_images(images: np.ndarray) -> np.ndarray:
    """Maps uint8 images `[N, 28, 28]` or `[N, 28, 28, 1]` to float32 `[N, 28, 28, 1]` in `[-1, 1]`."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:] != (28, 28, 1):
        raise ValueError(f"Expected images of shape [N, 28, 28(, 1)]. Received: {images.shape}")
    return images.astype("float32") / 127.5 - 1.0


def evaluate_fashion_classifier(
    model: keras.Model,
    images: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    batch_size: int = 1000,
) -> float:
    """Returns the top-1 accuracy of `model` (default: on the 10k Fashion-MNIST test split).

    `images` are float in `[-1, 1]` as the model takes them, or uint8 (then preprocessed).
    """
    if images is None or labels is None:
        images, labels = load_fashion_mnist("test")
    if np.asarray(images).dtype == np.uint8:
        images = preprocess_images(images)
    logits = model.predict(images, batch_size=batch_size, verbose=0)
    return float(np.mean(np.argmax(logits, axis=-1) == np.asarray(labels)))


def train_fashion_classifier(
    epochs: int = 4,
    path: str | None = None,
    batch_size: int = 128,
    learning_rate: float = 2e-3,
    flip: bool = True,
    seed: int | None = 0,
    data_dir: str | None = None,
    verbose: int | str = "auto",
) -> tuple[keras.Model, dict]:
    """Trains the classifier on the 60k train split and evaluates it on the 10k test split.

    Uses Adam with a cosine-decayed learning rate and (when `flip`) random horizontal flips.
    Saves the model to `path` (default `default_classifier_path()`) and writes a JSON report
    beside it (`report_path(path)`). `seed` (when not `None`) seeds Keras' global RNGs.

    Returns:
        `(model, report)`; `report["test_accuracy"]` is the accuracy on the test split.
    """
    if epochs < 1:
        raise ValueError(f"`epochs` must be at least 1. Received: epochs={epochs}")
    path = path or default_classifier_path()
    if not path.endswith(".keras"):
        raise ValueError(f"`path` must end in '.keras'. Received: path={path!r}")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    train_images, train_labels = load_fashion_mnist("train", data_dir)
    test_images, test_labels = load_fashion_mnist("test", data_dir)
    x_train, x_test = preprocess_images(train_images), preprocess_images(test_images)
    y_train, y_test = train_labels.astype("int32"), test_labels.astype("int32")

    model = build_fashion_classifier()
    steps = epochs * -(-len(x_train) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    augment = keras.layers.RandomFlip("horizontal", seed=seed)
    dataset = _train_dataset(x_train, y_train, batch_size, augment if flip else None, seed)
    start = time.perf_counter()
    model.fit(dataset, epochs=epochs, shuffle=False, verbose=verbose)  # tf.data shuffles
    train_seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)

    report = {
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "num_test": len(x_test),
        "epochs": epochs,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "flip": flip,
        "seed": seed,
        "train_seconds": round(train_seconds, 1),
        "keras_version": keras.__version__,
    }
    _save_atomically(model, path, report)
    return model, report


def load_fashion_classifier(
    path: str | None = None, train_if_missing: bool = True, **train_kwargs
) -> keras.Model:
    """Loads the classifier from `path` (default `default_classifier_path()`).

    When the file is missing, trains it once with `train_fashion_classifier(path=path,
    **train_kwargs)` if `train_if_missing`, else raises `FileNotFoundError`.
    """
    path = path or default_classifier_path()
    if not os.path.exists(path):
        if not train_if_missing:
            raise FileNotFoundError(
                f"No Fashion-MNIST classifier at {path!r}; call `train_fashion_classifier()` "
                "or pass `train_if_missing=True`."
            )
        model, _ = train_fashion_classifier(path=path, **train_kwargs)
        return model
    return keras.saving.load_model(path, compile=False)


def load_classifier_report(path: str | None = None) -> dict:
    """Reads the JSON report (test accuracy, training settings) saved beside the classifier."""
    with open(report_path(path or default_classifier_path())) as f:
        return json.load(f)


def _train_dataset(x, y, batch_size, augment, seed):
    """A shuffled, batched `tf.data` pipeline, optionally flipping images horizontally."""
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed)
    dataset = dataset.batch(batch_size)
    if augment is not None:
        dataset = dataset.map(
            lambda images, labels: (augment(images, training=True), labels),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    from keras_gan.data.pipeline import prefetch

    return prefetch(dataset)


def _save_atomically(model: keras.Model, path: str, report: dict) -> None:
    """Writes the model and its report via temporary files, so readers never see half a file."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp_model = f"{os.path.splitext(path)[0]}.tmp{os.getpid()}.keras"
    tmp_report = report_path(tmp_model)
    model.save(tmp_model)
    with open(tmp_report, "w") as f:
        json.dump(report, f, indent=2)
    os.replace(tmp_report, report_path(path))
    os.replace(tmp_model, path)
