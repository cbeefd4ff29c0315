"""ACGAN preset configurations."""

ACGAN_PRESETS = {
    "acgan_fashion_mnist_28": {
        "description": "ACGAN for 28x28 Fashion-MNIST (10 classes).",
        "config": {
            "num_classes": 10,
            "latent_dim": 100,
            "image_size": 28,
            "channels": 1,
            "base_filters": 64,
        },
        "module_file": __file__,
    }
}
