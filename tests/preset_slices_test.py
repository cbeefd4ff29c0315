"""Expected output slices of the presets that ship weights (as diffusers' pipeline tests).

A change that alters what a shipped preset computes (a layer, padding, the colour
conversion, the weights file) fails here even when it still beats the baseline, which
`shipped_presets_test.py` checks on held-out photos. Values: the 3 x 3 pixels at (30, 30)
of the output for a 64 x 64 crop of scikit-image's astronaut (gray for the colorizer),
recorded from the shipped weights (sha256-checked when they load).
"""

import numpy as np
import pytest

from keras_gan.models import all_presets

EXPECTED = {
    "srgan_photos_x4": [
        0.7457,
        0.5102,
        0.2961,
        0.7464,
        0.515,
        0.3076,
        0.7385,
        0.5114,
        0.3101,
        0.7408,
        0.5114,
        0.2848,
        0.7511,
        0.5242,
        0.3078,
        0.7531,
        0.529,
        0.3222,
        0.7195,
        0.4954,
        0.257,
        0.7472,
        0.5246,
        0.2989,
        0.7655,
        0.545,
        0.3326,
    ],
    "colorizer_photos_128": [
        0.3503,
        0.3641,
        0.4162,
        0.2837,
        0.3606,
        0.4108,
        0.3264,
        0.3878,
        0.4755,
        0.3552,
        0.3606,
        0.4357,
        0.3359,
        0.3642,
        0.4182,
        0.3419,
        0.3702,
        0.4185,
        0.4094,
        0.4443,
        0.5237,
        0.3151,
        0.3435,
        0.4157,
        0.3433,
        0.3591,
        0.41,
    ],
    "style_transfer_starry_night_mobile": [
        -0.6433,
        -0.446,
        -0.0926,
        -0.7859,
        -0.3694,
        -0.1905,
        -0.7578,
        -0.4925,
        -0.1887,
        -0.5136,
        -0.244,
        -0.0898,
        0.0077,
        0.1148,
        0.2453,
        -0.0362,
        -0.0038,
        -0.0823,
        -0.3931,
        -0.4427,
        -0.003,
        -0.3784,
        -0.2779,
        0.1625,
        -0.5584,
        0.0088,
        0.1387,
    ],
    "style_transfer_starry_night_mobile_int8": [
        -0.4414,
        -0.2826,
        0.101,
        -0.5016,
        -0.2592,
        0.0361,
        -0.5546,
        -0.2477,
        -0.0883,
        -0.6092,
        -0.3789,
        0.062,
        -0.6632,
        -0.2834,
        -0.113,
        -0.4983,
        -0.1926,
        -0.1218,
        -0.5675,
        -0.1047,
        -0.0791,
        -0.6138,
        -0.2542,
        -0.1455,
        -0.588,
        -0.2446,
        0.0437,
    ],
}


def _crop() -> np.ndarray:
    from skimage import data

    return data.astronaut()[100:164, 180:244].astype("float32") / 127.5 - 1.0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_preset_output_slice(name):
    model = all_presets()[name].from_preset(name)
    photo = _crop()
    inputs = photo.mean(-1, keepdims=True) if name.startswith("colorizer") else photo
    output = model.predict_images(inputs[None])[0]
    np.testing.assert_allclose(output[30:33, 30:33].ravel(), EXPECTED[name], atol=2e-3)
