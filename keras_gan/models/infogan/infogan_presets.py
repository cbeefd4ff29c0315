"""InfoGAN preset configurations."""

INFOGAN_PRESETS = {
    "infogan_fashion_mnist_28": {
        "description": "InfoGAN for 28x28 Fashion-MNIST: one 10-way code, 2 continuous.",
        "config": {
            "latent_dim": 62,
            "num_categorical_codes": 10,
            "num_continuous_codes": 2,
            "image_size": 28,
            "channels": 1,
            "base_filters": 64,
        },
        "module_file": __file__,
    }
}
