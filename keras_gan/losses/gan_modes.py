"""The reference implementation's `--gan_mode` losses, term by term.

pytorch-CycleGAN-and-pix2pix scores a prediction map against "real" or "fake":
`vanilla` with binary cross-entropy on logits, `lsgan` with the squared error to
1 or 0, `wgangp` with -mean or +mean. A discriminator's loss is
0.5 * (real term on real + fake term on fake); a generator's is the real term
on its fakes.
"""

import tensorflow as tf

GAN_MODES = ("vanilla", "lsgan", "wgangp")


def check_gan_mode(mode: str) -> str:
    if mode not in GAN_MODES:
        raise ValueError(f"Unknown gan_mode {mode!r}. Expected one of {GAN_MODES}.")
    return mode


def gan_mode_loss(logits, target_is_real: bool, mode: str):
    """The mean loss of a prediction map `logits` against a real or fake target."""
    check_gan_mode(mode)
    logits = tf.cast(logits, tf.float32)
    if mode == "vanilla":
        return tf.reduce_mean(tf.nn.softplus(-logits if target_is_real else logits))
    if mode == "lsgan":
        return tf.reduce_mean(tf.square(logits - (1.0 if target_is_real else 0.0)))
    return -tf.reduce_mean(logits) if target_is_real else tf.reduce_mean(logits)


def gan_mode_discriminator_loss(real_logits, fake_logits, mode: str):
    """0.5 * (loss(real, real) + loss(fake, fake)), as the reference's `backward_D`."""
    return 0.5 * (gan_mode_loss(real_logits, True, mode) + gan_mode_loss(fake_logits, False, mode))


def gan_mode_generator_loss(fake_logits, mode: str):
    """The generator's adversarial term: its fakes scored against "real"."""
    return gan_mode_loss(fake_logits, True, mode)
