"""SRGAN preset configurations."""

SRGAN_PRESETS = {
    "srgan_photos_x4": {
        "description": "A small x4 SRResNet for phones (32 filters, 8 residual blocks, no batch "
        "norm, LeakyReLU for fast int8, learning the detail a bilinear upscale lacks) and "
        "discriminator (32 base filters) that train on a CPU, for folders of photos.",
        "config": {
            "scale": 4,
            "filters": 32,
            "num_blocks": 8,
            "batch_norm": False,
            "global_skip": "bilinear",
            "activation": "leaky_relu",
            "discriminator_filters": 32,
            "discriminator_dense_units": 256,
        },
        # Trained by scripts/train_mobile_presets.py (1500 steps, 7 min on
        # 2 CPU cores); the model card has the data, licences and held-out metrics.
        "generator_weights": "weights/srgan_photos_x4.weights.h5",
        "generator_weights_sha256": "86753fb5ab27d3a4c0e866236babe7b45b7c94c6ac37199059b2e718489411d0",
        "model_card": "weights/srgan_photos_x4.md",
        "module_file": __file__,
    },
    "srresnet_paper_x4": {
        "description": "The paper's x4 SRResNet (64 filters, 16 residual blocks, batch norm) "
        "and discriminator (64 to 512 filters, dense 1024).",
        "config": {"scale": 4, "filters": 64, "num_blocks": 16},
        "module_file": __file__,
    },
}
