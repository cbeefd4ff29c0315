"""Pix2Pix preset configurations (the reference's option sets)."""

PIX2PIX_PRESETS = {
    "pix2pix_facades_256": {
        "description": "The reference's pix2pix options (unet_256, basic D, batch norm) for "
        "facades (labels -> photo, BtoA) at 256x256.",
        "config": {"generator_type": "unet_256", "direction": "BtoA"},
        "module_file": __file__,
    },
    "pix2pix_edges2shoes_256": {
        "description": "The reference's edges2shoes options (unet_256, AtoB, batch 4 in the paper).",
        "config": {"generator_type": "unet_256", "direction": "AtoB"},
        "module_file": __file__,
    },
    "pix2pix_photo_pairs_128": {
        "description": "A small unet_128 (32 base filters) for the photo-pairs set that "
        "`keras-gan make-data photo-pairs` builds (grayscale -> colour, 128x128 crops).",
        "config": {
            "generator_type": "unet_128",
            "filters": 32,
            "discriminator_filters": 32,
            "image_size": 128,
            "load_size": 142,
        },
        "module_file": __file__,
    },
}
