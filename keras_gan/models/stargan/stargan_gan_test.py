"""What only StarGAN does: reference parameter counts, its losses, n_critic, labels, masks."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models.stargan import StarGAN
from keras_gan.models.stargan.stargan_data import read_attribute_file
from keras_gan.models.stargan.stargan_losses import domain_classification_loss
from keras_gan.models.stargan.stargan_networks import build_discriminator, build_generator
from keras_gan.models.stargan.stargan_run import held_out_targets
from keras_gan.models.stargan.stargan_schedule import StarGANDecay

TINY = StarGAN.tiny_config


def _images(n, size=16, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype("float32")


def _reference_counts(c_dim=5, image_size=128, g_dim=64, d_dim=64, g_rep=6, d_rep=6):
    """yunjey/stargan model.py's parameter totals, from its layer shapes.

    G: convs without bias; InstanceNorm2d(affine=True) has 2 * channels parameters
    (its running statistics are buffers, not parameters). D: convs with bias but the
    two heads.
    """
    norm = 2
    g = 7 * 7 * (3 + c_dim) * g_dim + norm * g_dim
    width = g_dim
    for _ in range(2):
        g += 4 * 4 * width * width * 2 + norm * width * 2
        width *= 2
    g += g_rep * 2 * (3 * 3 * width * width + norm * width)
    for _ in range(2):
        g += 4 * 4 * width * (width // 2) + norm * (width // 2)
        width //= 2
    g += 7 * 7 * width * 3
    d, width, previous = 0, d_dim, 3
    for _ in range(d_rep):
        d += 4 * 4 * previous * width + width
        previous, width = width, width * 2
    kernel = image_size // 2**d_rep
    d += 3 * 3 * previous * 1 + kernel * kernel * previous * c_dim
    return g, d


def test_parameter_counts_equal_the_reference_defaults():
    g, d = _reference_counts()
    assert (g, d) == (8_430_528, 44_762_048)  # what the reference's print_network reports
    assert build_generator().count_params() == g
    assert build_discriminator().count_params() == d


def test_parameter_counts_follow_the_options():
    g, d = _reference_counts(c_dim=7, image_size=32, g_dim=8, d_dim=4, g_rep=2, d_rep=3)
    assert build_generator(7, 8, 2).count_params() == g
    assert build_discriminator(32, 4, 7, 3).count_params() == d


def test_shapes_and_the_mask_vector():
    model = StarGAN(**{**TINY, "c_dim": 3, "c2_dim": 2})
    assert model.vector_dim == 3 + 2 + 2  # the reference's c_dim + c2_dim + 2
    assert model.generator.inputs[1].shape[-1] == 7
    source, logits = model.discriminator(_images(2))
    assert tuple(source.shape) == (2, 4, 4, 1) and tuple(logits.shape) == (2, 5)
    vectors = model.domain_vectors(np.array([1, 4]))
    np.testing.assert_array_equal(vectors, [[0, 1, 0, 0, 0, 1, 0], [0, 0, 0, 0, 1, 0, 1]])
    out = model.predict_images(_images(2, size=18), np.array([0, 3]))
    assert out.shape == (2, 18, 18, 3)  # padded to the multiple of 4 and cropped back


def test_mask_mode_trains_and_targets_stay_in_their_data_set():
    model = StarGAN(**{**TINY, "c_dim": 2, "c2_dim": 3, "label_mode": "attributes", "n_critic": 1})
    labels = np.array([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 1, 0, 0]])
    dataset = np.array([0, 0, 1, 1], "int32")
    vectors = model.domain_vectors(labels.astype("float32"), dataset)
    for step in range(4):
        targets = model._targets(tf.constant(vectors), tf.constant(dataset), step).numpy()
        np.testing.assert_array_equal(targets[:, -2:], vectors[:, -2:])
        assert sorted(map(tuple, targets)) == sorted(map(tuple, vectors))
    model.compile()
    batch = (_images(4), labels.astype("float32"), dataset)
    logs = model.fit(tf.data.Dataset.from_tensors(batch), verbose=0).history
    assert all(np.isfinite(v[-1]) for v in logs.values())


def _linear_discriminator(size, channels, weight):
    images = keras.Input((size, size, channels))
    source = keras.layers.Conv2D(
        1, size, use_bias=False, kernel_initializer=keras.initializers.Constant(weight)
    )(images)
    logits = keras.layers.Reshape((3,))(keras.layers.Conv2D(3, size, use_bias=False)(images))
    return keras.Model(images, [source, logits])


def test_gradient_penalty_on_a_linear_critic():
    # D(x) = w * sum(x): dD/dx = w at every pixel, so ||grad|| = w * sqrt(S * S * C).
    weight, size = 0.01, 16
    model = StarGAN(**TINY, discriminator=_linear_discriminator(size, 3, weight))
    real = tf.constant(_images(2))
    c_org = tf.one_hot([0, 1], 3)
    alpha = tf.constant([0.3, 0.8], shape=(2, 1, 1, 1))
    _, terms = model._discriminator_losses(
        real, c_org, c_org[::-1], tf.zeros(2, tf.int32), alpha, True
    )
    expected = (weight * np.sqrt(size * size * 3) - 1.0) ** 2
    assert float(terms["gp"]) == pytest.approx(expected, rel=1e-4)


def test_the_generator_steps_every_n_critic_discriminator_steps():
    model = StarGAN(**{**TINY, "n_critic": 3})
    model.compile()
    batch = (_images(2), np.array([0, 2], "int32"))
    before = [np.array(w) for w in model.generator.trainable_weights]
    model.fit(tf.data.Dataset.from_tensors(batch).repeat(2), verbose=0)
    assert int(model.d_optimizer.iterations) == 2 and int(model.g_optimizer.iterations) == 0
    assert all(
        np.array_equal(a, b) for a, b in zip(before, model.generator.trainable_weights, strict=True)
    )
    model.fit(tf.data.Dataset.from_tensors(batch).repeat(4), verbose=0)
    assert int(model.d_optimizer.iterations) == 6 and int(model.g_optimizer.iterations) == 2


def test_classification_losses_as_the_reference():
    logits = np.array([[2.0, -1.0, 0.5], [0.0, 1.0, -2.0]], "float32")
    attributes = np.array([[1, 0, 1], [0, 0, 1]], "float32")
    probabilities = 1 / (1 + np.exp(-logits))
    bce = -(attributes * np.log(probabilities) + (1 - attributes) * np.log(1 - probabilities))
    got = float(domain_classification_loss(logits, attributes, "attributes"))
    assert got == pytest.approx(bce.sum() / 2, rel=1e-5)  # summed over attributes / N
    one_hot = np.eye(3, dtype="float32")[[0, 2]]
    log_softmax = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    got = float(domain_classification_loss(logits, one_hot, "one_hot"))
    assert got == pytest.approx(-(one_hot * log_softmax).sum(-1).mean(), rel=1e-5)


def test_label_modes():
    model = StarGAN(**{**TINY, "label_mode": "attributes", "n_critic": 1})
    model.compile()
    batch = (_images(2), np.array([[1, 0, 1], [0, 1, 1]], "float32"))
    logs = model.fit(tf.data.Dataset.from_tensors(batch), verbose=0).history
    assert all(np.isfinite(v[-1]) for v in logs.values())
    with pytest.raises(ValueError, match="attributes"):
        model.train_step((tf.constant(_images(2)), tf.constant([0, 1])))
    with pytest.raises(ValueError, match="label_mode"):
        StarGAN(**{**TINY, "label_mode": "softmax"})


def test_targets_as_the_reference_create_labels():
    names = ["Black_Hair", "Blond_Hair", "Male"]
    model = StarGAN(**{**TINY, "label_mode": "attributes", "domain_names": names})
    source = np.array([[1, 0, 1]], "float32")
    targets = [t[0].tolist() for t in model.target_vectors(source)]
    assert targets == [[1, 0, 1], [0, 1, 1], [1, 0, 0]]  # hair set exclusively, Male reversed
    one_hot = StarGAN(**TINY)
    assert [t[0].tolist() for t in one_hot.target_vectors(np.eye(3)[[1]])] == np.eye(3).tolist()
    chosen = held_out_targets(one_hot, one_hot.domain_vectors(np.array([0, 1, 2, 0])))
    assert not np.any(chosen.argmax(-1) == [0, 1, 2, 0])  # never the example's own domain


def test_attribute_file_loader(tmp_path):
    path = tmp_path / "list_attr_celeba.txt"
    path.write_text(
        "3\nBlack_Hair Blond_Hair Male Young\n"
        "000001.jpg -1  1 -1  1\n000002.jpg  1 -1  1 -1\n000003.jpg -1 -1 -1  1\n"
    )
    files, labels = read_attribute_file(path, ["Blond_Hair", "Young"])
    assert files == ["000001.jpg", "000002.jpg", "000003.jpg"]
    np.testing.assert_array_equal(labels, [[1, 1], [0, 0], [0, 1]])
    path.write_text("2\nBlack_Hair Male\n000001.jpg -1 1\n000002.jpg 1\n")
    with pytest.raises(ValueError, match=r"list_attr_celeba.txt:4: expected") as error:
        read_attribute_file(path, ["Male"])
    assert "\n" not in str(error.value)
    with pytest.raises(ValueError, match=r":2: no attribute \['Young'\]"):
        read_attribute_file(path, ["Young"])


def test_reference_decay_schedule():
    # Reference: after iteration k (k % 10 == 0, k > 100 - 40) the rate drops by lr / 40.
    schedule = StarGANDecay(1.0, num_iters=100, num_iters_decay=40, update_step=10)
    assert float(schedule(60)) == 1.0  # iteration 61 runs before any drop
    assert float(schedule(70)) == pytest.approx(1.0 - 1 / 40)  # after the drop at k = 70
    assert float(schedule(99)) == pytest.approx(1.0 - 3 / 40)
    to_zero = StarGANDecay(1.0, 100, 40, 10, to_zero=True)
    assert float(to_zero(100)) == pytest.approx(0.0, abs=1e-7)
    generator = StarGANDecay(1.0, 100, 40, 10, every=5)  # G step s runs at iteration 5s + 4
    assert float(generator(14)) == pytest.approx(1.0 - 1 / 40)
    restored = StarGANDecay.from_config(schedule.get_config())
    assert restored.get_config() == schedule.get_config()


def test_keras_round_trip_and_sheet(tmp_path):
    model = StarGAN(**TINY)
    images = _images(2)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        loaded.predict_images(images, np.array([2, 0])), model.translate(images, np.array([2, 0]))
    )
    rows = model.sample_rows(images)
    assert rows.shape == (2 * (1 + 3), 16, 16, 3)
    sheet = model.prediction_sheet(np.zeros((10, 13, 3), np.uint8))
    assert sheet.shape == (10, 13 * 4, 3) and sheet.dtype == np.uint8


def test_a_run_on_a_class_folder_writes_held_out_scores(tmp_path):
    import json

    from PIL import Image

    from keras_gan.run import RunConfig, train

    rng = np.random.default_rng(0)
    for split, count in (("train", 3), ("test", 2)):
        for domain in ("cats", "dogs"):
            folder = tmp_path / "data" / split / domain
            folder.mkdir(parents=True)
            for i in range(count):
                pixels = rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)
                Image.fromarray(pixels).save(folder / f"{i}.png")
    tiny = {k: v for k, v in TINY.items() if k not in ("c_dim", "image_size", "d_repeat_num")}
    config = RunConfig(steps=2, batch_size=2, image_size=16, model_kwargs=tiny, verbose=0)
    train("stargan", tmp_path / "data", tmp_path / "run", config)
    run = json.loads((tmp_path / "run" / "run.json").read_text())
    held_out = run["held_out"]
    assert held_out["split"] == "test" and held_out["examples"] == 4
    assert held_out["after"]["metric"] == "reconstruction_l1"
    assert np.isfinite(held_out["after"]["value"])
    model = keras.saving.load_model(tmp_path / "run" / "model.keras")
    assert model.c_dim == 2 and model.domain_names == ["cats", "dogs"]
    assert model.d_repeat_num == 4  # 16 = 2**4: the head's kernel is 1
