import numpy as np
import pytest

from keras_gan.metrics.sample_quality import classes_present, conditional_accuracy
from keras_gan.models import DCGAN


def test_classes_present_counts_classes_above_the_share():
    histogram = np.array([35, 7, 65, 159, 150, 66, 379, 15, 97, 27])  # 1000 samples
    assert classes_present(histogram) == 9  # 7 < 1 % of 1000
    assert classes_present(histogram, min_share=0.1) == 3
    assert classes_present(np.zeros(10)) == 0


def test_conditional_accuracy_needs_a_conditional_model():
    model = DCGAN(latent_dim=4, image_size=28, channels=1, base_filters=4)
    with pytest.raises(ValueError, match="not class-conditional"):
        conditional_accuracy(model, classifier=None, n=4)
