"""Small training sets built from real data that installs offline; nothing is downloaded.

- `build_photo_pairs`: aligned grayscale -> colour photo pairs (Pix2Pix) from sample
  photos shipped by scikit-image, scikit-learn and Debian packages.
- `build_photo_folder`: the same photos whole, in `train/` and `test/` (super-resolution,
  colorization, style transfer).
- `build_fashion_unpaired`: two Fashion-MNIST classes in the CycleGAN layout.
- `build_digit_domains`: printed digits from the installed fonts -> scikit-learn's
  handwritten digits (the DTN digits experiment), unpaired, a sub-folder per digit.
"""

from keras_gan.data.sample_sets.digits_domains import build_digit_domains
from keras_gan.data.sample_sets.fashion_unpaired import build_fashion_unpaired
from keras_gan.data.sample_sets.photo_folder import build_photo_folder
from keras_gan.data.sample_sets.photo_pairs import (
    SourcePhoto,
    build_photo_pairs,
    find_source_photos,
)

__all__ = [
    "SourcePhoto",
    "build_digit_domains",
    "build_fashion_unpaired",
    "build_photo_folder",
    "build_photo_pairs",
    "find_source_photos",
]
