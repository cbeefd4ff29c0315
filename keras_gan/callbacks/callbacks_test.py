"""Checkpoints resume where a run stopped; a NaN loss stops the run and keeps the last good one."""

import json

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from keras_gan.callbacks import GANCheckpoint, SampleGrid, StopOnNonFiniteLoss, load_checkpoint
from keras_gan.models import DCGAN
from keras_gan.testing import fashion_mnist_batch

TINY = {"latent_dim": 8, "image_size": 28, "channels": 1, "base_filters": 4, "ema_decay": 0.9}


def _dataset(images, batch=16):
    return tf.data.Dataset.from_tensor_slices(images).batch(batch, drop_remainder=True)


def test_resume_continues_like_an_uninterrupted_run(tmp_path):
    images, _ = fashion_mnist_batch(64)
    reference = DCGAN(**TINY, seed=3)
    initial = reference.get_weights()
    reference.compile()
    reference.fit(_dataset(images), epochs=3, verbose=0, shuffle=False)

    interrupted = DCGAN(**TINY, seed=3)
    interrupted.set_weights(initial)
    interrupted.compile()
    interrupted.fit(
        _dataset(images), epochs=2, verbose=0, callbacks=[GANCheckpoint(tmp_path)], shuffle=False
    )
    del interrupted  # the process "dies" here
    resumed, done = load_checkpoint(tmp_path)
    assert done == 2
    assert int(resumed.g_optimizer.iterations) == 2 * 4
    resumed.fit(_dataset(images), epochs=3, initial_epoch=done, verbose=0, shuffle=False)
    for a, b in zip(reference.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(
        reference.ema_generator.get_weights()[0], resumed.ema_generator.get_weights()[0], atol=1e-5
    )


def test_nan_loss_stops_and_keeps_the_last_good_checkpoint(tmp_path, capsys):
    images, _ = fashion_mnist_batch(64)
    poisoned = images.copy()
    poisoned[40] = np.nan  # batch 3 of every epoch
    clean_epochs = tf.data.Dataset.from_tensors(images).repeat(1).unbatch()
    data = clean_epochs.concatenate(tf.data.Dataset.from_tensor_slices(poisoned)).batch(16)
    model = DCGAN(**TINY)
    model.compile()
    guard = StopOnNonFiniteLoss()
    model.fit(
        data, epochs=2, steps_per_epoch=4, verbose=0, callbacks=[guard, GANCheckpoint(tmp_path)]
    )
    assert guard.message is not None
    assert "d_loss is nan at epoch 2, step 3" in guard.message
    assert "d_loss is nan" in capsys.readouterr().err
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["epoch"] == 1
    restored = keras.saving.load_model(tmp_path / "last.keras")
    assert all(np.all(np.isfinite(w)) for w in restored.get_weights())


def test_sample_grid_writes_one_png_per_epoch(tmp_path):
    images, _ = fashion_mnist_batch(32)
    model = DCGAN(**TINY)
    model.compile()
    grid = SampleGrid(tmp_path, n=16, seed=0, scale=1)
    model.fit(_dataset(images), epochs=2, verbose=0, callbacks=[grid])
    files = sorted(p.name for p in tmp_path.glob("*.png"))
    assert files == ["epoch_0001.png", "epoch_0002.png"]
    picture = np.asarray(Image.open(tmp_path / files[-1]))
    assert picture.shape == (4 * 30 + 2, 4 * 30 + 2)  # 4 x 4 tiles of 28 px, 2 px padding
    assert picture.std() > 0
