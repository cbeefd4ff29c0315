"""Losses: adversarial terms, penalties, auxiliary terms and perceptual (VGG) terms."""

from keras_gan.losses.adversarial import (
    ADVERSARIAL_LOSSES,
    get_adversarial_losses,
    hinge_discriminator_loss,
    hinge_generator_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from keras_gan.losses.gan_modes import (
    GAN_MODES,
    check_gan_mode,
    gan_mode_discriminator_loss,
    gan_mode_generator_loss,
    gan_mode_loss,
)
from keras_gan.losses.information import (
    auxiliary_classifier_loss,
    categorical_mutual_information_loss,
    continuous_mutual_information_loss,
)
from keras_gan.losses.penalties import gradient_penalty, interpolate, r1_penalty
from keras_gan.losses.perceptual import (
    feature_reconstruction_loss,
    gram_matrix,
    style_loss,
    total_variation_loss,
)
from keras_gan.losses.reconstruction import mean_absolute_error
from keras_gan.losses.relativistic import (
    relativistic_average_discriminator_loss,
    relativistic_average_generator_loss,
)

__all__ = [
    "ADVERSARIAL_LOSSES",
    "GAN_MODES",
    "check_gan_mode",
    "gan_mode_discriminator_loss",
    "gan_mode_generator_loss",
    "gan_mode_loss",
    "mean_absolute_error",
    "auxiliary_classifier_loss",
    "categorical_mutual_information_loss",
    "continuous_mutual_information_loss",
    "feature_reconstruction_loss",
    "get_adversarial_losses",
    "gram_matrix",
    "gradient_penalty",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "interpolate",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_generator_loss",
    "r1_penalty",
    "relativistic_average_discriminator_loss",
    "relativistic_average_generator_loss",
    "style_loss",
    "total_variation_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]
