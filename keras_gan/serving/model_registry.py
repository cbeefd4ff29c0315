"""The served models: versions found on disk, loaded, warmed up, swapped without a restart.

Each configured model has a base path holding numeric version folders
(`BASE/NAME/VERSION`, as `keras_gan.export.export_saved_model` writes). A poll lists
them, applies the model's version policy (default: the latest one), loads and warms
up each new version before it becomes AVAILABLE, and only then unloads the versions
the policy drops, so some version is always answering. Requests hold a reference to
the `LoadedVersion` they resolved, so unloading never fails a request in flight.
States follow TF-Serving's `ModelVersionStatus`: START, LOADING, AVAILABLE,
UNLOADING, END (END with an error message when a load failed).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import threading
from pathlib import Path

from keras_gan.serving.config import check_model_config, versions_to_serve
from keras_gan.serving.errors import ServingError, not_found
from keras_gan.serving.loaded_version import LoadedVersion
from keras_gan.serving.tiles import DEFAULT_MARGIN, DEFAULT_TILE

logger = logging.getLogger("keras_gan.serving")

MAX_LOAD_ATTEMPTS = 5
"""A version that fails to load is retried on later polls (a copy may be incomplete)."""


@dataclasses.dataclass
class VersionState:
    """Where one version stands (what GetModelStatus reports)."""

    version: int
    state: str = "START"
    error: str = ""
    attempts: int = 0
    loaded: LoadedVersion | None = None


class _Model:
    def __init__(self, config):
        self.config = config
        self.versions: dict[int, VersionState] = {}


def freeze_long_lived_objects() -> None:
    """Moves every object alive now out of the garbage collector's sight (`gc.freeze`).

    A loaded TensorFlow model is millions of Python objects; without this, each full
    collection, which a REST request's JSON (thousands of lists) triggers every few
    requests, walks all of them and stalls every request for hundreds of milliseconds.
    Unfrozen and collected first, so what an unloaded version left in cycles is freed.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class ModelRegistry:
    """The models of a `ModelServerConfig`, kept in step with their base paths.

    Args:
        config: a `ModelServerConfig` (see `keras_gan.serving.config`).
        poll_wait_seconds: seconds between polls of the base paths; 0 polls once,
            negative never polls in the background (call `poll()` yourself).
        warmup: replay each version's warm-up requests before it is AVAILABLE.
        tile: input side of the tiles tile-safe networks run in.
        tile_margin: context pixels each tile reads past the part it keeps.
    """

    def __init__(
        self,
        config,
        poll_wait_seconds: float = 1.0,
        warmup: bool = True,
        tile: int = DEFAULT_TILE,
        tile_margin: int = DEFAULT_MARGIN,
    ):
        check_model_config(config)
        self.tile = tile
        self.tile_margin = tile_margin
        self.poll_wait_seconds = poll_wait_seconds
        self.warmup = warmup
        self._lock = threading.Lock()
        self._poll_lock = threading.Lock()
        self._models: dict[str, _Model] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.polls = 0
        self._set_config(config)

    def _set_config(self, config) -> list[_Model]:
        """Swaps the config; returns the models that left it (to unload)."""
        wanted = {model.name: model for model in config.model_config_list.config}
        with self._lock:
            removed = [m for name, m in self._models.items() if name not in wanted]
            for name in list(self._models):
                if name not in wanted:
                    del self._models[name]
            for name, model_config in wanted.items():
                if name in self._models:
                    self._models[name].config = model_config
                else:
                    self._models[name] = _Model(model_config)
        return removed

    # Polling ------------------------------------------------------------------------

    def start(self) -> None:
        """Polls in a background thread (the first poll starts at once)."""
        if self._thread is not None or self.poll_wait_seconds < 0:
            return
        self._thread = threading.Thread(target=self._poll_loop, name="model-poller", daemon=True)
        self._thread.start()

    def _poll_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception:  # a poll never kills the poller
                logger.exception("Polling the model base paths failed")
            if self.poll_wait_seconds == 0 or self._stop.wait(self.poll_wait_seconds):
                return

    def stop(self) -> None:
        """Stops polling and unloads every version."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._poll_lock, self._lock:
            for model in self._models.values():
                for state in model.versions.values():
                    if state.loaded is not None:
                        state.state, state.loaded = "END", None

    def poll(self) -> None:
        """One pass: load the versions each policy wants, then unload the others."""
        with self._poll_lock:
            with self._lock:
                models = list(self._models.values())
            for model in models:
                self._poll_model(model)
            self.polls += 1

    def reload_config(self, config) -> None:
        """Serves `config`'s models from now on (HandleReloadConfigRequest); waits for a poll."""
        check_model_config(config)
        with self._poll_lock:
            for model in self._set_config(config):
                for state in model.versions.values():
                    self._unload(model, state)
        self.poll()

    @staticmethod
    def _on_disk(base_path: str) -> list[int]:
        base = Path(base_path)
        if not base.is_dir():
            return []
        return [
            int(p.name)
            for p in base.iterdir()
            if p.name.isdigit() and (p / "saved_model.pb").is_file()
        ]

    def _poll_model(self, model: _Model) -> None:
        config = model.config
        wanted = versions_to_serve(config.model_version_policy, self._on_disk(config.base_path))
        for version in sorted(wanted, reverse=True):  # newest first
            with self._lock:
                state = model.versions.setdefault(version, VersionState(version))
            if state.loaded is None and state.attempts < MAX_LOAD_ATTEMPTS:
                self._load(model, state)
        available = [v for v in wanted if model.versions[v].state == "AVAILABLE"]
        for state in list(model.versions.values()):
            # Keep an old version until some wanted version answers (availability first).
            if state.version not in wanted and state.loaded is not None and available:
                self._unload(model, state)
            if state.version not in wanted and state.loaded is None:
                with self._lock:
                    model.versions.pop(state.version, None)

    def _load(self, model: _Model, state: VersionState) -> None:
        path = Path(model.config.base_path) / str(state.version)
        with self._lock:
            state.state, state.error = "LOADING", ""
            state.attempts += 1
        try:
            loaded = LoadedVersion(
                model.config.name, state.version, path, self.tile, self.tile_margin
            )
            loaded.measure_memory()
            if self.warmup:
                loaded.warm_up()
        except Exception as error:
            message = f"Loading {path} failed: {type(error).__name__}: {error}"
            logger.error(message)
            with self._lock:
                state.state, state.error = "END", message
            return
        with self._lock:
            state.loaded, state.state = loaded, "AVAILABLE"
        freeze_long_lived_objects()
        logger.info("Serving %s version %d from %s", model.config.name, state.version, path)

    def _unload(self, model: _Model, state: VersionState) -> None:
        with self._lock:
            state.state = "UNLOADING"
            state.loaded = None  # requests already holding it finish with their reference
            state.state = "END"
        freeze_long_lived_objects()  # unfrozen first, so the version's cycles are collected
        logger.info("Unloaded %s version %d", model.config.name, state.version)

    # Lookups ------------------------------------------------------------------------

    @property
    def model_names(self) -> list[str]:
        with self._lock:
            return list(self._models)

    def _model(self, name: str) -> _Model:
        model = self._models.get(name)
        if model is None:
            raise not_found(f"Model {name!r} is not served. Served models: {sorted(self._models)}.")
        return model

    def _label_version(self, model: _Model, label: str) -> int:
        labels = model.config.version_labels
        if label not in labels:
            raise not_found(
                f"Model {model.config.name!r} has no version label {label!r}. "
                f"Labels: {sorted(labels)}."
            )
        return labels[label]

    def resolve(
        self, name: str, version: int | None = None, label: str | None = None
    ) -> LoadedVersion:
        """The AVAILABLE version asked for (latest when neither `version` nor `label`)."""
        with self._lock:
            model = self._model(name)
            if label:
                version = self._label_version(model, label)
            if version is None:
                ready = [s for s in model.versions.values() if s.loaded is not None]
                if ready:
                    return max(ready, key=lambda s: s.version).loaded
                if any(s.state in ("START", "LOADING") for s in model.versions.values()):
                    raise ServingError("UNAVAILABLE", f"Model {name!r} is still loading.")
                raise not_found(f"Model {name!r} has no available version.")
            state = model.versions.get(version)
            if state is None or state.loaded is None:
                served = sorted(s.version for s in model.versions.values() if s.loaded)
                raise not_found(
                    f"Model {name!r} has no available version {version}. Available: {served}."
                )
            return state.loaded

    def status(self, name: str, version: int | None = None, label: str | None = None) -> list:
        """`VersionState` copies of the model's versions (or the one asked for)."""
        with self._lock:
            model = self._model(name)
            if label:
                version = self._label_version(model, label)
            states = sorted(model.versions.values(), key=lambda s: s.version)
            if version is not None:
                states = [s for s in states if s.version == version]
                if not states:
                    raise not_found(f"Model {name!r} has no version {version}.")
            return [dataclasses.replace(s, loaded=None) for s in states]

    def wait_until_available(self, timeout: float = 60.0) -> None:
        """Blocks until a poll loaded every model (ServingError after `timeout`)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            pending = [] if self.polls else ["no poll yet"]
            for name in self.model_names:
                try:
                    self.resolve(name)
                except ServingError as error:
                    pending.append(f"{name} ({error.message})")
                with self._lock:
                    model = self._models.get(name)
                    states = list(model.versions.values()) if model else []
                loading = [s.version for s in states if s.state in ("START", "LOADING")]
                if loading:
                    pending.append(f"{name} (loading versions {loading})")
            if not pending:
                return
            if time.monotonic() > deadline:
                raise ServingError("UNAVAILABLE", f"Models not available: {pending}")
            time.sleep(0.05)


__all__ = ["LoadedVersion", "ModelRegistry", "VersionState"]
