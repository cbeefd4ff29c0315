"""The family registry: each family registers itself, and the rest of the system asks here.

A family is a model class that applies `@register_family("name")` in its own folder. The
decorator makes it public and serializable (`keras_gan>ClassName`) and records its task
kind (`image_generator`: noise -> image, `image_to_image`: image -> image), so training,
evaluation, export, prediction and the CLI never guess a family from its attributes.
`keras_gan.models` imports every sub-package of its folder, so a new folder is all it takes.
"""

from __future__ import annotations

import dataclasses

from keras_gan.api_export import keras_gan_export

TASKS = ("image_generator", "image_to_image")
_FAMILIES: dict[str, FamilyInfo] = {}
_ALIASES: dict[str, str] = {}


@dataclasses.dataclass(frozen=True)
class FamilyInfo:
    """What the registry knows of a family.

    Attributes:
        name: the family's name on the command line (`dcgan`, `pix2pix`, ...).
        cls: the model class.
        task: `image_generator` or `image_to_image`.
        aliases: other accepted names (`wgan-gp` for `wgan_gp` is implied).
    """

    name: str
    cls: type
    task: str
    aliases: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        """The first line of the class docstring."""
        return (self.cls.__doc__ or "").strip().splitlines()[0] if self.cls.__doc__ else ""


def _key(name: str) -> str:
    return str(name).strip().lower().replace("-", "_")


def register_family(name: str, aliases: tuple[str, ...] = ()):
    """Class decorator: registers a model class as the family `name`.

    The class must say its task kind with a `task` class attribute (the task bases
    `ImageGenerator` and `ImageToImage` set it). The class also becomes public as
    `keras_gan.models.<ClassName>` and serializable as `keras_gan>ClassName`.
    """
    key = _key(name)

    def decorate(cls):
        task = getattr(cls, "task", None)
        if task not in TASKS:
            raise TypeError(
                f"{cls.__name__} must set `task` to one of {TASKS} (subclass ImageGenerator "
                f"or ImageToImage) to be registered. Received: task={task!r}"
            )
        existing = _FAMILIES.get(key)
        if existing is not None and existing.cls.__qualname__ != cls.__qualname__:
            raise ValueError(
                f"Family name {name!r} is taken by {existing.cls.__name__}; "
                f"cannot register {cls.__name__} under it."
            )
        cls = keras_gan_export(f"keras_gan.models.{cls.__name__}")(cls)
        cls.family_name = key
        _FAMILIES[key] = FamilyInfo(key, cls, task, tuple(_key(a) for a in aliases))
        for alias in aliases:
            _ALIASES[_key(alias)] = key
        return cls

    return decorate


def _ensure_loaded() -> None:
    import keras_gan.models  # noqa: F401  (importing it registers every family)


def get_family(name: str) -> type:
    """The model class of a family name such as `dcgan` or `wgan-gp`.

    Raises:
        ValueError: for an unknown name; the message lists the families.
    """
    return family_info(name).cls


def family_info(name: str) -> FamilyInfo:
    """The registry entry of a family name (or alias)."""
    _ensure_loaded()
    key = _key(name)
    key = _ALIASES.get(key, key)
    if key not in _FAMILIES:
        raise ValueError(
            f"Unknown family {name!r}. Expected one of {sorted(_FAMILIES)} "
            "(`keras-gan families` lists them)."
        )
    return _FAMILIES[key]


def list_families(task: str | None = None) -> list[FamilyInfo]:
    """Every registered family (of one task kind when `task` is given), sorted by name."""
    _ensure_loaded()
    if task is not None and task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}. Received: task={task!r}")
    return [info for _, info in sorted(_FAMILIES.items()) if task is None or info.task == task]


def family_of(model) -> FamilyInfo:
    """The registry entry of a model instance (or class): its class or nearest registered base."""
    cls = model if isinstance(model, type) else type(model)
    _ensure_loaded()
    for klass in cls.__mro__:
        for info in _FAMILIES.values():
            if info.cls is klass:
                return info
    raise ValueError(f"{cls.__name__} is not a registered keras-gan family.")
