"""InfoGAN (Chen et al., 2016): latent codes the generator must keep recoverable."""

import numpy as np
import tensorflow as tf

from keras_gan.losses import (
    categorical_mutual_information_loss,
    continuous_mutual_information_loss,
)
from keras_gan.models.dcgan.dcgan_gan import DCGAN
from keras_gan.models.replica_random import offset_seed, replica_integers, replica_uniform
from keras_gan.registry import register_family


@register_family("infogan")
class InfoGAN(DCGAN):
    """The generator takes [z, one-hot c_cat, c_cont]; a Q head on the discriminator
    recovers the codes, and both networks minimise the mutual-information loss.

    Args:
        latent_dim: size of the incompressible noise z.
        num_categorical_codes: size of the one categorical code (0 for none).
        num_continuous_codes: number of continuous codes, uniform in [-1, 1].
        info_weight: lambda of the mutual-information term.
        continuous_weight: extra weight of the continuous part (the paper uses 0.1
            for some data sets; 1 by default).
        **kwargs: `DCGAN`'s arguments.
    """

    def __init__(
        self,
        latent_dim: int = 62,
        num_categorical_codes: int = 10,
        num_continuous_codes: int = 2,
        info_weight: float = 1.0,
        continuous_weight: float = 1.0,
        **kwargs,
    ):
        if num_categorical_codes < 0 or num_continuous_codes < 0:
            raise ValueError("Code sizes must be >= 0.")
        if num_categorical_codes + num_continuous_codes == 0:
            raise ValueError("InfoGAN needs at least one categorical or continuous code.")
        super().__init__(
            latent_dim=latent_dim,
            num_categorical_codes=num_categorical_codes,
            num_continuous_codes=num_continuous_codes,
            **kwargs,
        )
        self.num_categorical_codes = int(num_categorical_codes)
        self.num_continuous_codes = int(num_continuous_codes)
        self.info_weight = float(info_weight)
        self.continuous_weight = float(continuous_weight)

    def generator_input_dim(self, latent_dim, kwargs):
        return latent_dim + kwargs["num_categorical_codes"] + kwargs["num_continuous_codes"]

    def discriminator_heads(self, kwargs):
        return {
            "num_categorical_codes": kwargs["num_categorical_codes"],
            "num_continuous_codes": kwargs["num_continuous_codes"],
        }

    def gan_kwargs(self, kwargs):
        skip = ("num_categorical_codes", "num_continuous_codes")
        return {k: v for k, v in kwargs.items() if k not in skip}

    def loss_names(self):
        return [*super().loss_names(), "info"]

    def sample_latents(self, batch_size, seed):
        latents = super().sample_latents(batch_size, seed)
        if self.num_categorical_codes:
            latents["codes"] = replica_integers(
                batch_size, self.num_categorical_codes, offset_seed(seed, 50)
            )
        if self.num_continuous_codes:
            latents["continuous"] = replica_uniform(
                batch_size, [self.num_continuous_codes], offset_seed(seed, 51), -1.0, 1.0
            )
        return latents

    def generator_inputs(self, latents):
        parts = [tf.cast(latents["z"], tf.float32)]
        if self.num_categorical_codes:
            parts.append(tf.one_hot(latents["codes"], self.num_categorical_codes))
        if self.num_continuous_codes:
            parts.append(tf.cast(latents["continuous"], tf.float32))
        return tf.concat(parts, axis=-1)

    def _information_loss(self, fake_outputs, latents):
        loss = tf.constant(0.0)
        if self.num_categorical_codes:
            loss += categorical_mutual_information_loss(
                latents["codes"], fake_outputs["code_logits"]
            )
        if self.num_continuous_codes:
            loss += self.continuous_weight * continuous_mutual_information_loss(
                latents["continuous"], fake_outputs["code_means"]
            )
        return self.info_weight * loss

    def discriminator_auxiliary_losses(self, real_outputs, fake_outputs, labels, latents):
        return {"info": self._information_loss(fake_outputs, latents)}

    def generator_auxiliary_losses(self, fake_outputs, latents):
        return {"info": self._information_loss(fake_outputs, latents)}

    def grid_columns(self):
        """One column per value of the categorical code, as `generate` cycles through them."""
        return self.num_categorical_codes or None

    def sampling_inputs(self, n, seed=None, codes=None, continuous=None):
        """z from `seed`; codes given or 0..K-1 repeated; continuous given or zeros."""
        latents = {"z": self.sample_z(n, seed)}
        if self.num_categorical_codes:
            codes = np.arange(n) % self.num_categorical_codes if codes is None else codes
            latents["codes"] = np.asarray(codes, dtype="int32").reshape(n)
        if self.num_continuous_codes:
            shape = (n, self.num_continuous_codes)
            continuous = np.zeros(shape) if continuous is None else continuous
            latents["continuous"] = np.asarray(continuous, dtype="float32").reshape(shape)
        return latents

    def get_config(self):
        return {
            **super().get_config(),
            "num_categorical_codes": self.num_categorical_codes,
            "num_continuous_codes": self.num_continuous_codes,
            "info_weight": self.info_weight,
            "continuous_weight": self.continuous_weight,
        }
