"""CGAN preset configurations."""

CGAN_PRESETS = {
    "cgan_fashion_mnist_28": {
        "description": "Class-conditional GAN for 28x28 Fashion-MNIST (10 classes).",
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
