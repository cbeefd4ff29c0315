"""Tiny configurations of every family, for tests that build many models quickly.

Each family declares its own (`tiny_config`, beside its model class): a model with a few
thousand parameters whose networks keep the family's structure (same layers, ops and
inputs), so export, serialization and training-loop tests run in seconds. This module
reads them from the registry.
"""

from keras_gan.registry import get_family, list_families


def tiny_configs() -> dict[str, dict]:
    """Family name -> the constructor arguments of its tiny model."""
    return {info.name: dict(info.cls.tiny_config) for info in list_families()}


def tiny_config(family: str, **overrides) -> dict:
    """A copy of the family's `tiny_config` with `overrides` applied."""
    return {**get_family(family).tiny_config, **overrides}
