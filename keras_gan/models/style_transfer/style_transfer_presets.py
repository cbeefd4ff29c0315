"""StyleTransfer preset configurations.

Each entry also names its style images (`style_images`: a description and the
local paths tried in order); the trained weights are added when they ship.
"""

# Debian's opencv-doc package ships Van Gogh's "The Starry Night" (1889, public
# domain), gzipped in some releases.
STARRY_NIGHT = {
    "description": "Vincent van Gogh, The Starry Night (1889), 752x600 JPEG from the OpenCV "
    "samples (Debian package opencv-doc).",
    "paths": (
        "/usr/share/doc/opencv-doc/examples/data/starry_night.jpg",
        "/usr/share/doc/opencv-doc/examples/data/starry_night.jpg.gz",
    ),
}

STYLE_TRANSFER_PRESETS = {
    "style_transfer_starry_night_256": {
        "description": "Johnson et al.'s transform network (32 filters, 5 residual blocks, "
        "1.68M parameters) for The Starry Night, trained on 256x256 crops.",
        "config": {"filters": 32, "num_residual_blocks": 5, "image_size": 256, "style_size": 256},
        "style_images": (STARRY_NIGHT,),
        "module_file": __file__,
    },
    "style_transfer_starry_night_mobile": {
        "description": "A phone-sized transform network (16 filters, 3 residual blocks, "
        "0.28M parameters) for The Starry Night; the shipped weights were trained on 128x128 "
        "crops of photos (1,000 steps).",
        # A lighter style weight than Johnson's 1e5: the small network keeps the photo.
        "config": {
            "filters": 16,
            "num_residual_blocks": 3,
            "image_size": 256,
            "style_size": 256,
            "style_weight": 2e4,
        },
        "style_images": (STARRY_NIGHT,),
        # Trained by scripts/train_mobile_presets.py (1,000 steps in two stages, 23 min on
        # 2 CPU cores); the model card has the data, licences and held-out metrics.
        "generator_weights": "weights/style_transfer_starry_night_mobile.weights.h5",
        "generator_weights_sha256": "0cf1dbc6838b0415eeffad980d81a8d7273c2d6b47fe00a7601a3042e6a43c00",
        "model_card": "weights/style_transfer_starry_night_mobile.md",
        "module_file": __file__,
    },
    "style_transfer_starry_night_mobile_int8": {
        "description": "The phone-sized network with batch normalization in place of instance "
        "normalization (Johnson et al.'s original choice), so full-int8 TFLite runs without "
        "float layers, about 3x faster than float32; a weaker style than the instance-norm "
        "preset (held-out style loss +43 %). Trained on 128x128 crops (1,500 steps).",
        "config": {
            "filters": 16,
            "num_residual_blocks": 3,
            "image_size": 256,
            "style_size": 256,
            "style_weight": 2e4,
            "normalization": "batch",
        },
        "style_images": (STARRY_NIGHT,),
        # Trained by scripts/train_mobile_presets.py (1500 steps, 60 min on
        # 2 CPU cores); the model card has the data, licences and held-out metrics.
        "generator_weights": "weights/style_transfer_starry_night_mobile_int8.weights.h5",
        "generator_weights_sha256": "8408be22d1ed92790e5f6d1d59eb8cca31994c6e24c25f91ec45329fd7ea1164",
        "model_card": "weights/style_transfer_starry_night_mobile_int8.md",
        "module_file": __file__,
    },
    "style_transfer_multi_style_256": {
        "description": "One network for 4 styles with conditional instance normalization "
        "(Dumoulin et al.; 32 filters, 5 residual blocks); set the styles with "
        "set_style_images before training, or override num_styles.",
        "config": {
            "filters": 32,
            "num_residual_blocks": 5,
            "num_styles": 4,
            "image_size": 256,
            "style_size": 256,
        },
        "module_file": __file__,
    },
}
