"""CGAN (Mirza & Osindero, 2014): generator and discriminator both see the class label.

The generator concatenates a label embedding to z and uses class-conditional
batch norm; the discriminator adds a class projection (Miyato & Koyama) to its
logit, the form of conditioning that trains most reliably.
"""

from keras_gan.api_export import keras_gan_export
from keras_gan.models.cgan.cgan_presets import CGAN_PRESETS
from keras_gan.models.conditional_sampling import class_sampling_inputs, sample_class_latents
from keras_gan.models.dcgan.dcgan_gan import DCGAN


@keras_gan_export("keras_gan.models.CGAN")
class CGAN(DCGAN):
    """A label-conditioned GAN: `generate(n, labels=[...])` draws the given classes.

    Args:
        num_classes: number of classes; the data must yield (images, labels).
        **kwargs: `DCGAN`'s arguments.
    """

    presets = CGAN_PRESETS

    def __init__(self, num_classes: int = 10, **kwargs):
        if int(num_classes) < 2:
            raise ValueError(f"num_classes must be >= 2. Received: num_classes={num_classes}")
        super().__init__(num_classes=int(num_classes), **kwargs)
        self.num_classes = int(num_classes)

    def generator_classes(self, kwargs):
        return kwargs["num_classes"]

    def discriminator_heads(self, kwargs):
        return {"num_classes": kwargs["num_classes"]}

    def gan_kwargs(self, kwargs):
        return {k: v for k, v in kwargs.items() if k != "num_classes"}

    base_sample_latents = DCGAN.sample_latents

    def sample_latents(self, batch_size, seed):
        return sample_class_latents(self, batch_size, seed)

    def generator_inputs(self, latents):
        return [latents["z"], latents["labels"]]

    def discriminator_inputs(self, images, labels):
        return [images, labels]

    def sampling_inputs(self, n, seed=None, labels=None):
        return class_sampling_inputs(self, n, seed, labels)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}
