"""SRGAN preset configurations."""

SRGAN_PRESETS = {
    "srgan_photos_x4": {
        "description": "A small x4 SRResNet for phones (32 filters, 8 residual blocks, no batch "
        "norm, learning the detail a bilinear upscale lacks) and discriminator (32 base "
        "filters) that train on a CPU, for folders of photos.",
        "config": {
            "scale": 4,
            "filters": 32,
            "num_blocks": 8,
            "batch_norm": False,
            "global_skip": "bilinear",
            "discriminator_filters": 32,
            "discriminator_dense_units": 256,
        },
        "module_file": __file__,
    },
    "srresnet_paper_x4": {
        "description": "The paper's x4 SRResNet (64 filters, 16 residual blocks, batch norm) "
        "and discriminator (64 to 512 filters, dense 1024).",
        "config": {"scale": 4, "filters": 64, "num_blocks": 16},
        "module_file": __file__,
    },
}
