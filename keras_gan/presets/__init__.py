"""Presets as data: a folder per preset, written by `save_to_preset`, read by `load_preset`.

```
keras_gan/models/<family>/presets/<name>/
    config.json            {"class_name": "SRGAN", "config": {constructor arguments}}
    metadata.json          description, files (sha256, bytes), metrics, recipe, ...
    generator.weights.h5   the exported network's weights (presets that ship weights)
    MODEL_CARD.md          written from metadata.json by the same call
    samples.png            a sample sheet (presets that ship weights)
```

A family's `presets` come from its folder (`presets_of`); a preset without weights is a
configuration to train (`from_preset` builds it), and the inference entry points refuse
it unless asked (`UntrainedPresetError`).
"""

from keras_gan.presets.loader import (
    PresetsDescriptor,
    UntrainedPresetError,
    check_trained,
    is_preset_folder,
    load_preset,
    presets_of,
    read_preset,
)
from keras_gan.presets.saver import save_to_preset, write_model_card

__all__ = [
    "PresetsDescriptor",
    "UntrainedPresetError",
    "check_trained",
    "is_preset_folder",
    "load_preset",
    "presets_of",
    "read_preset",
    "save_to_preset",
    "write_model_card",
]
