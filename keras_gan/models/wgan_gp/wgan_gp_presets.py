"""WGAN-GP preset configurations."""

WGAN_GP_PRESETS = {
    "wgan_gp_fashion_mnist_28": {
        "description": "WGAN-GP for 28x28 grayscale Fashion-MNIST.",
        "config": {"latent_dim": 128, "image_size": 28, "channels": 1, "base_filters": 64},
        "module_file": __file__,
    },
    "wgan_gp_cifar10_32": {
        "description": "WGAN-GP for 32x32 RGB images.",
        "config": {"latent_dim": 128, "image_size": 32, "channels": 3, "base_filters": 64},
        "module_file": __file__,
    },
}
