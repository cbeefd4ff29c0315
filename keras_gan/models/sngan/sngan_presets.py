"""SNGAN preset configurations."""

SNGAN_PRESETS = {
    "sngan_fashion_mnist_28": {
        "description": "SNGAN (standard CNN) for 28x28 grayscale Fashion-MNIST.",
        "config": {"latent_dim": 128, "image_size": 28, "channels": 1, "base_filters": 64},
        "module_file": __file__,
    }
}
