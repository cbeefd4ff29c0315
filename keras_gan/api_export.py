"""One decorator that makes a class public and serializable under the `keras_gan` package."""

import keras


def keras_gan_export(name: str):
    """Registers `cls` with Keras serialization as `keras_gan>{ClassName}`.

    `name` is the public path (for example `"keras_gan.models.DCGAN"`); it is
    recorded on the class so documentation and tests can list the public API.
    """

    def decorator(cls):
        cls._keras_gan_public_name = name
        return keras.saving.register_keras_serializable(package="keras_gan")(cls)

    return decorator
