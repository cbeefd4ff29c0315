"""DCGAN preset configurations."""

DCGAN_PRESETS = {
    "dcgan_fashion_mnist_28": {
        "description": "DCGAN for 28x28 grayscale Fashion-MNIST.",
        "config": {"latent_dim": 100, "image_size": 28, "channels": 1, "base_filters": 64},
        "module_file": __file__,
    },
    "dcgan_celeba_64": {
        "description": "The paper's 64x64 RGB network (train on your own face folder).",
        "config": {"latent_dim": 100, "image_size": 64, "channels": 3, "base_filters": 64},
        "module_file": __file__,
    },
}
