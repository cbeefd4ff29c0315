"""WGAN preset configurations."""

WGAN_PRESETS = {
    "wgan_fashion_mnist_28": {
        "description": "WGAN with weight clipping for 28x28 Fashion-MNIST.",
        "config": {"latent_dim": 100, "image_size": 28, "channels": 1, "base_filters": 64},
        "module_file": __file__,
    }
}
