"""Layers whose weights come from a file on disk, never from training or a `.keras` file."""

import keras


class FrozenFromFile(keras.layers.Layer):
    """A layer that is never trainable and leaves its weights out of saved models.

    Subclasses read their weights from a local file when built (ImageNet VGG16, the LPIPS
    heads), so a `.keras` file stays small and reloading reads the same file again.
    """

    @property
    def trainable(self):
        return False

    @trainable.setter
    def trainable(self, value):
        # A parent's `trainable = True` must not unfreeze the weights.
        self._trainable = False

    def save_own_variables(self, store):
        pass

    def load_own_variables(self, store):
        pass

    def get_config(self):
        config = super().get_config()
        config.pop("trainable", None)
        return config
