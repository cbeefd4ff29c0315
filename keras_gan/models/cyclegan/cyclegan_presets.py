"""CycleGAN preset configurations (the reference's option sets)."""

CYCLEGAN_PRESETS = {
    "cyclegan_horse2zebra_256": {
        "description": "The reference's cycle_gan options (resnet_9blocks, basic D, instance "
        "norm, lsgan, pool 50) at 256x256.",
        "config": {},
        "module_file": __file__,
    },
    "cyclegan_fashion_32": {
        "description": "A small resnet_6blocks CycleGAN (32 base filters, 2-layer D) for the "
        "Fashion-MNIST set `keras-gan make-data fashion-unpaired` builds (32x32, grayscale).",
        "config": {
            "generator_type": "resnet_6blocks",
            "discriminator_type": "n_layers",
            "num_discriminator_layers": 2,
            "channels_a": 1,
            "channels_b": 1,
            "filters": 32,
            "discriminator_filters": 32,
            "image_size": 32,
            "load_size": 36,
        },
        "module_file": __file__,
    },
}
