"""LSGAN preset configurations."""

LSGAN_PRESETS = {
    "lsgan_fashion_mnist_28": {
        "description": "LSGAN for 28x28 grayscale Fashion-MNIST.",
        "config": {"latent_dim": 100, "image_size": 28, "channels": 1, "base_filters": 64},
        "module_file": __file__,
    }
}
