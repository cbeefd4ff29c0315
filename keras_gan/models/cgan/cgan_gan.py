"""CGAN (Mirza & Osindero, 2014): generator and discriminator both see the class label.

The generator concatenates a label embedding to z and uses class-conditional
batch norm; the discriminator adds a class projection (Miyato & Koyama) to its
logit, the form of conditioning that trains most reliably.
"""

from keras_gan.models.conditional_gan import ClassConditionalGAN
from keras_gan.registry import register_family


@register_family("cgan")
class CGAN(ClassConditionalGAN):
    """A label-conditioned GAN: `generate(n, labels=[...])` draws the given classes.

    Args:
        num_classes: number of classes; the data must yield (images, labels).
        **kwargs: `DCGAN`'s arguments.
    """

    def discriminator_heads(self, kwargs):
        return {"num_classes": kwargs["num_classes"]}

    def discriminator_inputs(self, images, labels):
        return [images, labels]
