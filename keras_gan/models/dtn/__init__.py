from keras_gan.models.dtn.dtn_gan import DTN

__all__ = ["DTN"]
