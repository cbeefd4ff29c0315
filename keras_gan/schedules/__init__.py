"""Learning-rate schedules."""

from keras_gan.schedules.linear_decay import LinearDecay

__all__ = ["LinearDecay"]
