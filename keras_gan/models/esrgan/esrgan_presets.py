"""ESRGAN preset configurations."""

_SMALL = {
    "filters": 32,
    "growth_channels": 16,
    "num_blocks": 6,
    "discriminator_filters": 32,
    "discriminator_stages": 4,
}

ESRGAN_PRESETS = {
    "esrgan_photos_x4": {
        "description": "A small x4 RRDBNet (32 filters, growth 16, 6 RRDB blocks: 1.17M "
        "parameters, 4.7 MB in float32) and discriminator that train on a CPU, for folders "
        "of photos.",
        "config": {"scale": 4, **_SMALL},
        "module_file": __file__,
    },
    "esrgan_photos_x2": {
        "description": "The small RRDBNet of esrgan_photos_x4 for x2 (1.14M parameters).",
        "config": {"scale": 2, **_SMALL},
        "module_file": __file__,
    },
    "esrgan_paper_x4": {
        "description": "The paper's x4 RRDBNet (64 filters, growth 32, 23 RRDB blocks: 16.7M "
        "parameters) and VGG-128-style discriminator (64 to 512 filters, dense 100).",
        "config": {"scale": 4, "filters": 64, "growth_channels": 32, "num_blocks": 23},
        "module_file": __file__,
    },
}
