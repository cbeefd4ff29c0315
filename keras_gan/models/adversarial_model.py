"""What every adversarial model shares: two optimizers, their compile config, loss trackers.

`GAN` (noise to image) and the image-to-image families (`Pix2Pix`, `CycleGAN`)
subclass this model; each says which variables the generator side and the
discriminator side train, and which loss keys its `train_step` reports.
"""

import copy

import keras
import tensorflow as tf

from keras_gan.models.preset_loading import load_preset


def spans_workers(strategy) -> bool:
    """Whether `strategy` is a MultiWorkerMirroredStrategy over several workers."""
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and (
        strategy.num_replicas_in_sync > len(strategy.extended.worker_devices)
    )


def deserialize_networks(config: dict, keys) -> dict:
    """A copy of `config` with the networks under `keys` deserialized."""
    config = copy.deepcopy(config)  # Keras pops keys while deserializing networks
    for key in keys:
        if isinstance(config.get(key), dict):
            config[key] = keras.layers.deserialize(config[key])
    return config


def adam(learning_rate: float = 2e-4) -> keras.optimizers.Optimizer:
    """Adam with the DCGAN / pix2pix settings (beta_1 = 0.5)."""
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.5, beta_2=0.999)


class AdversarialModel(keras.Model):
    """A `keras.Model` trained by a generator optimizer and a discriminator optimizer.

    Subclasses implement `train_step`, `loss_names`, `generator_variables`,
    `discriminator_variables` and `sampling_generator`.
    """

    presets: dict = {}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trackers = {}

    @classmethod
    def from_preset(cls, preset: str, load_weights: bool = True, **overrides):
        """Builds the family from a preset name, or loads a `.keras` file path.

        Presets that ship trained weights load them (offline, sha256-checked) unless
        `load_weights=False`; `overrides` replace entries of the preset's config.
        """
        return load_preset(cls, preset, load_weights=load_weights, **overrides)

    @classmethod
    def default_optimizers(cls):
        """The optimizers `compile` uses when none are given: the paper's settings."""
        return adam(), adam()

    def loss_names(self) -> list[str]:
        """The keys `train_step` returns: stable for a given configuration."""
        raise NotImplementedError

    def generator_variables(self) -> list:
        """The variables `g_optimizer` trains."""
        raise NotImplementedError

    def discriminator_variables(self) -> list:
        """The variables `d_optimizer` trains."""
        raise NotImplementedError

    @property
    def sampling_generator(self) -> keras.Model:
        """The network used to sample and export."""
        raise NotImplementedError

    # --------------------------------------------------------------- compile
    def compile(self, g_optimizer=None, d_optimizer=None, jit_compile=False, **kwargs):
        """Configures training.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs) of
                the generator side and the discriminator side. Default: the
                family's (`default_optimizers`).
            jit_compile: compile the train step with XLA.
            **kwargs: passed to `keras.Model.compile` (`steps_per_execution`,
                `run_eagerly`, ...).
        """
        default_g, default_d = self.default_optimizers()
        g_optimizer = keras.optimizers.get(g_optimizer) if g_optimizer else default_g
        d_optimizer = keras.optimizers.get(d_optimizer) if d_optimizer else default_d
        if keras.config.dtype_policy().name == "mixed_float16":
            g_optimizer, d_optimizer = (
                opt
                if isinstance(opt, keras.optimizers.LossScaleOptimizer)
                else keras.optimizers.LossScaleOptimizer(opt)
                for opt in (g_optimizer, d_optimizer)
            )
        if g_optimizer is d_optimizer:
            raise ValueError("g_optimizer and d_optimizer must be two different optimizers.")
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        if not self._trackers:
            self._trackers = {name: keras.metrics.Mean(name=name) for name in self.loss_names()}
        super().compile(optimizer=g_optimizer, jit_compile=jit_compile, **kwargs)
        # Build the optimizers' slots now, inside the strategy scope: building
        # them lazily during a distributed `fit` fails.
        with self.distribute_strategy.scope():
            self.g_optimizer.build(self.generator_variables())
            self.d_optimizer.build(self.discriminator_variables())

    def get_compile_config(self):
        if not self.compiled:
            return None  # saved uncompiled (e.g. straight from a preset): loads uncompiled
        return {
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "jit_compile": bool(self.jit_compile),
        }

    def compile_from_config(self, config):
        self.compile(
            g_optimizer=keras.optimizers.deserialize(config["g_optimizer"]),
            d_optimizer=keras.optimizers.deserialize(config["d_optimizer"]),
            jit_compile=config.get("jit_compile", False),
        )

    @property
    def metrics(self):
        return list(self._trackers.values())

    def _apply(self, optimizer, loss, tape, variables):
        gradients = tape.gradient(loss, variables)
        optimizer.apply(gradients, variables)

    def _record(self, logs):
        for name, value in logs.items():
            self._trackers[name].update_state(value)
        results = {name: tracker.result() for name, tracker in self._trackers.items()}
        if spans_workers(self.distribute_strategy):
            # Keras 3 reduces a step's outputs across workers with
            # strategy.reduce("MEAN", value, axis=0), which fails on scalars
            # (tensorflow/tensorflow#72388): one-element vectors reduce to scalars.
            results = {name: tf.reshape(value, [1]) for name, value in results.items()}
        return results
