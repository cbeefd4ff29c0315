"""What every adversarial model shares: two optimizers, their compile config, loss trackers.

`GAN` (noise to image) and the image-to-image families (`Pix2Pix`, `CycleGAN`)
subclass this model; each says which variables the generator side and the
discriminator side train, and which loss keys its `train_step` reports.
"""

import copy
import warnings

import keras
import tensorflow as tf


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

    # What `test_step` passes to the metrics of `compile(metrics=...)`, as
    # `update_state(reference, generated)`, in words; None where the family has
    # no reference for its outputs (and `compile` refuses metrics).
    metrics_compare: str | None = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trackers = {}
        self._quality_metrics = []

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
    def compile(
        self, g_optimizer=None, d_optimizer=None, jit_compile=False, metrics=None, **kwargs
    ):
        """Configures training.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs) of
                the generator side and the discriminator side. Default: the
                family's (`default_optimizers`).
            jit_compile: compile the train step with XLA.
            metrics: Keras metrics (instances, names or configs) that `evaluate`
                and `validation_data` report, updated in `test_step` only, with
                `update_state(reference, generated)` (`metrics_compare` says
                which images each family passes). A metric named like a
                built-in evaluation value (`psnr`) replaces it; loss names are
                refused.
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
        self._quality_metrics = self._check_metrics(metrics)
        super().compile(optimizer=g_optimizer, jit_compile=jit_compile, **kwargs)
        # Build the optimizers' slots now, inside the strategy scope: building
        # them lazily during a distributed `fit` fails.
        with self.distribute_strategy.scope():
            self.g_optimizer.build(self.generator_variables())
            self.d_optimizer.build(self.discriminator_variables())

    def _check_metrics(self, metrics) -> list:
        """The compiled metrics as `keras.metrics.Metric` instances, their names checked."""
        if not metrics:
            return []
        name = type(self).__name__
        if self.metrics_compare is None:
            raise ValueError(
                f"{name} has no reference output to compare its outputs with, so it takes no "
                "compiled metrics; use the QualityEvaluation callback (frechet, kid) instead. "
                f"Received: metrics={metrics!r}"
            )
        if isinstance(metrics, dict) or not isinstance(metrics, (list, tuple)):
            raise ValueError(f"metrics must be a list of metrics. Received: metrics={metrics!r}")
        checked = []
        for metric in metrics:
            metric = keras.metrics.get(metric)
            if not isinstance(metric, keras.metrics.Metric):  # a function such as "mae"
                metric = keras.metrics.MeanMetricWrapper(metric, name=metric.__name__)
            checked.append(metric)
        names = [metric.name for metric in checked]
        reserved = sorted(set(names) & set(self.reserved_metric_names()))
        if reserved:
            raise ValueError(
                f"Compiled metrics cannot take the names of {name}'s losses {reserved}: "
                f"pass another `name=`. Received: metric names {names}"
            )
        if len(set(names)) != len(names):
            raise ValueError(f"Compiled metrics need distinct names. Received: {names}")
        return checked

    def reserved_metric_names(self) -> list[str]:
        """Names a compiled metric cannot take: the keys `train_step` reports."""
        return self.loss_names()

    def get_compile_config(self):
        if not self.compiled:
            return None  # saved uncompiled (e.g. straight from a preset): loads uncompiled
        config = {
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "jit_compile": bool(self.jit_compile),
        }
        metrics = []
        for metric in self._quality_metrics:
            try:
                metrics.append(keras.metrics.serialize(metric))
            except (TypeError, NotImplementedError) as error:
                warnings.warn(
                    f"The compiled metric {metric.name!r} cannot be serialized and is not "
                    f"saved with the model: {error}",
                    stacklevel=2,
                )
        if metrics:
            config["metrics"] = metrics
        return config

    def compile_from_config(self, config):
        metrics = [keras.metrics.deserialize(metric) for metric in config.get("metrics", [])]
        self.compile(
            g_optimizer=keras.optimizers.deserialize(config["g_optimizer"]),
            d_optimizer=keras.optimizers.deserialize(config["d_optimizer"]),
            jit_compile=config.get("jit_compile", False),
            metrics=metrics or None,
        )

    def builtin_metrics(self) -> list:
        """The family's own trackers: losses and any evaluation values it computes itself."""
        return list(self._trackers.values())

    @property
    def metrics(self):
        """The built-in trackers, less those a compiled metric replaces, then the compiled metrics.

        All are reset when an epoch or an `evaluate` starts.
        """
        compiled = {metric.name for metric in self._quality_metrics}
        builtin = [metric for metric in self.builtin_metrics() if metric.name not in compiled]
        return builtin + list(self._quality_metrics)

    def get_metrics_result(self):
        """The values of `metrics` but the compiled ones.

        Compiled metrics are updated by `test_step` only, which returns their
        values; measured here they may have seen no data (after a training
        epoch), where some cannot give a value (a Fréchet distance needs samples).
        """
        compiled = {id(metric) for metric in self._quality_metrics}
        results = {}
        for metric in self.metrics:
            if id(metric) in compiled:
                continue
            result = metric.result()
            results.update(result if isinstance(result, dict) else {metric.name: result})
        return results

    def _measure_quality(self, reference, generated) -> dict:
        """Updates the compiled metrics with `(reference, generated)`; their values by name."""
        for metric in self._quality_metrics:
            metric.update_state(reference, generated)
        results = {metric.name: metric.result() for metric in self._quality_metrics}
        if spans_workers(self.distribute_strategy):
            results = {name: tf.reshape(value, [1]) for name, value in results.items()}
        return results

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
