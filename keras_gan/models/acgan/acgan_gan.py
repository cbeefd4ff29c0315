"""ACGAN (Odena et al., 2017): the discriminator also classifies the image."""

from keras_gan.losses import auxiliary_classifier_loss
from keras_gan.models.conditional_gan import ClassConditionalGAN
from keras_gan.registry import register_family


@register_family("acgan")
class ACGAN(ClassConditionalGAN):
    """A class-conditional generator and a discriminator with an auxiliary classifier.

    Both networks minimise the classifier's cross-entropy: the discriminator on
    real and generated images, the generator on its own images.

    Args:
        num_classes: number of classes; the data must yield (images, labels).
        class_loss_weight: weight of the auxiliary classification terms.
        **kwargs: `DCGAN`'s arguments.
    """

    def __init__(self, num_classes: int = 10, class_loss_weight: float = 1.0, **kwargs):
        super().__init__(num_classes=num_classes, **kwargs)
        self.class_loss_weight = float(class_loss_weight)

    def discriminator_heads(self, kwargs):
        return {"num_auxiliary_classes": kwargs["num_classes"]}

    def loss_names(self):
        return [*super().loss_names(), "d_class", "g_class"]

    def discriminator_auxiliary_losses(self, real_outputs, fake_outputs, labels, latents):
        real_term = auxiliary_classifier_loss(labels, real_outputs["class_logits"])
        fake_term = auxiliary_classifier_loss(latents["labels"], fake_outputs["class_logits"])
        return {"d_class": self.class_loss_weight * (real_term + fake_term)}

    def generator_auxiliary_losses(self, fake_outputs, latents):
        term = auxiliary_classifier_loss(latents["labels"], fake_outputs["class_logits"])
        return {"g_class": self.class_loss_weight * term}

    def get_config(self):
        return {**super().get_config(), "class_loss_weight": self.class_loss_weight}
