"""`Task`: what every family answers, so no other module guesses it.

A family's model class inherits one task base (`ImageGenerator` or `ImageToImage`, both
subclasses of this mixin) and registers itself with `keras_gan.registry.register_family`.
The run path (`keras_gan.run`), evaluation, export, prediction, the CLI, the benchmarks
and the shared tests call only these hooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from keras_gan.presets.loader import PresetsDescriptor

if TYPE_CHECKING:
    import keras

    from keras_gan.export.network import ExportNetwork
    from keras_gan.run.config import RunConfig
    from keras_gan.tasks.run_data import RunData


class Task:
    """The contract of a family (a mixin of the family's `keras.Model`).

    Class attributes:
        task: `image_generator` or `image_to_image` (set by the task bases).
        evaluation_kind: how `keras-gan eval` judges it: `noise`, `super_resolution`,
            `colorization`, `paired`, `unpaired` or `stylization`.
        tiny_config: constructor arguments of a model with a few thousand parameters
            and the family's structure, for the shared tests and benchmarks.
        family_name: the registered name (set by `register_family`).
    """

    task: ClassVar[str] = ""
    evaluation_kind: ClassVar[str] = ""
    tiny_config: ClassVar[dict] = {}
    family_name: ClassVar[str] = ""
    held_out_metric: ClassVar[str] = ""  # the name `held_out_scores` reports
    seeded: ClassVar[bool] = True  # the constructor takes `seed`
    # name -> preset entry, read from the `presets/` folder beside the family's module.
    presets = PresetsDescriptor()

    @classmethod
    def from_preset(cls, preset: str, load_weights: bool = True, **overrides):
        """Builds the family from a preset name or folder, or loads a `.keras` file path.

        Presets that ship trained weights load them (offline, sha256-checked) unless
        `load_weights=False`; `overrides` replace entries of the preset's config.
        """
        from keras_gan.presets.loader import load_preset

        return load_preset(cls, preset, load_weights=load_weights, **overrides)

    # ------------------------------------------------------------ inference
    def predict_images(self, *args, **kwargs) -> np.ndarray:
        """The one inference entry point: float32 images in [-1, 1] (NumPy)."""
        raise NotImplementedError

    def baseline(self, inputs) -> np.ndarray | None:
        """What the model is judged against on `inputs` (bicubic, the gray photo, ...).

        None where the baseline is the untrained model itself.
        """
        return None

    def export_spec(self, direction: str | None = None) -> ExportNetwork:
        """The network every export format writes, and its inputs."""
        raise NotImplementedError

    # ---------------------------------------------------- shared test data
    def example_batch(self, photos: np.ndarray) -> Any:
        """A training batch made from real photos [N, S, S, 3] in [-1, 1] (S = `image_size`),
        in the form `train_step` takes, for the shared tests; None (the default): the
        batch of the family's `evaluation_kind`. A family whose batches are not images
        (label maps, ...) answers this."""
        return None

    def example_inputs(self, batch: Any) -> dict | None:
        """The keyword arguments of `predict_images` for an `example_batch`; None (the
        default): the batch's images."""
        return None

    # ---------------------------------------------------------------- runs
    @classmethod
    def run_model_kwargs(cls, data: str, config: RunConfig) -> dict:
        """Constructor arguments a run's flags set (`--image-size`, `--seed`, ...)."""
        kwargs = {"seed": config.seed} if cls.seeded else {}
        if config.image_size is not None:
            kwargs["image_size"] = config.image_size
        return kwargs

    def run_data(self, data: str, config: RunConfig) -> RunData:
        """The training batches, held-out data and sample examples read from `data`."""
        raise NotImplementedError

    def run_compile(self, config: RunConfig, steps_per_epoch: int) -> None:
        """Compiles for a run: the family's optimizers and schedules."""
        if config.learning_rate is not None:
            raise ValueError(
                f"--learning-rate is not an option of {type(self).__name__}'s runs (it trains "
                "with its paper's optimizers)."
            )
        self.compile(jit_compile=config.jit_compile)

    def finish_run(self, run_data: RunData) -> dict | None:
        """Steps after `fit`, before the model is saved, on `run_data.calibration` (data
        the run held back from training); returns what `run.json` records under
        `finish`, or None (the default: nothing to do)."""
        return None

    def held_out_scores(self, held_out: Any, batch_size: int = 4) -> dict:
        """The held-out figure a run is judged by, with the baseline's where there is one.

        Returns `{"metric": name, "value": float, "lower_is_better": bool, ...}`; a
        `"baseline"` entry holds the baseline's value on the same data.
        """
        raise NotImplementedError

    def evaluation_callbacks(self, data: str, config: RunConfig, run_data: RunData) -> list:
        """The callbacks of `--eval-every`: held-out scores logged as `val_<metric>`."""
        raise NotImplementedError

    def sample_callback(self, directory, examples: Any, seed: int = 0) -> keras.callbacks.Callback:
        """The callback that writes the run's sample sheets to `directory`."""
        raise NotImplementedError
