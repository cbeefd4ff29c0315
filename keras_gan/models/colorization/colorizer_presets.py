"""Colorizer preset configurations."""

COLORIZER_PRESETS = {
    "colorizer_photos_128": {
        "description": "A small unet_128 (12 base filters, 1.47M generator parameters, 5.9 MB in "
        "float32) for 128x128 crops of a folder of colour photos; batch norm and dropout as "
        "pix2pix. Small enough for mobile.",
        "config": {
            "generator_type": "unet_128",
            "filters": 12,
            "discriminator_filters": 32,
            "image_size": 128,
        },
        # Trained by scripts/train_mobile_presets.py (1,500 steps on 26 photos, 11 min on
        # 2 CPU cores); see the model card for data, licences and held-out PSNR.
        "generator_weights": "weights/colorizer_photos_128.weights.h5",
        "generator_weights_sha256": "ea1cdeec3a954a6a218b4fe9d84b18b767d8726dfecf27697482cae5a82182fe",
        "model_card": "weights/colorizer_photos_128.md",
        "module_file": __file__,
    },
    "colorizer_paper_256": {
        "description": "The pix2pix networks (unet_256, 64 filters, 70x70 PatchGAN, batch norm, "
        "dropout, L1 weight 100) predicting ab from L at 256x256.",
        "config": {"generator_type": "unet_256", "filters": 64, "image_size": 256},
        "module_file": __file__,
    },
}
