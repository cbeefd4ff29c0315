"""Photographs among the files of Debian packages, with each file's licence from the package.

The rule for what counts as a photo: a camera photograph of a real scene, chosen by looking
at every raster image of at least 256 pixels on its short side in each package (one view per
scene). Excluded, and why: renders and abstract patterns, paintings (The Starry Night, The
Scream), logos, icons, boot-splash and theme artwork, screenshots, text, calibration boards,
grayscale-only images, motion-blurred test images, and a second view of a scene already
listed. `load_source_photos` then also skips, and lists with the reason, anything without
colour, too small, or a near-duplicate of a photo already taken.

The packages below were examined; those in `PACKAGES_WITHOUT_PHOTOS` hold no photo by that
rule, so `make data` does not install them.
"""

from __future__ import annotations

import dataclasses
import os

from keras_gan.data.sample_sets.debian_copyright import debian_licence
from keras_gan.data.sample_sets.source_photo import SourcePhoto


@dataclasses.dataclass(frozen=True)
class PackagePhotos:
    """The photos of one Debian package: `files` are relative to `folder`.

    `licence` overrides what `debian_licence` reads, for packages whose copyright file
    names the source tree's paths in a way that does not match the installed ones.
    """

    package: str
    folder: str
    files: tuple[str, ...]
    id_prefix: str
    licence: str | None = None


PACKAGE_PHOTOS = (
    PackagePhotos(
        "mate-backgrounds",
        "/usr/share/backgrounds/mate",
        tuple(
            f"nature/{name}.jpg"
            for name in (
                "Aqua",
                "Blinds",
                "Dune",
                "FreshFlower",
                "Garden",
                "GreenMeadow",
                "LadyBird",
                "RainDrops",
                "Storm",
                "TwoWings",
                "Wood",
                "YellowFlower",
            )
        ),  # fmt: skip
        "mate",
    ),
    # The sample photos of the darknet detector (scream.jpg is Munch's painting: left out).
    PackagePhotos(
        "darknet",
        "/usr/share/darknet/data",
        ("dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "kite.jpg", "person.jpg"),
        "darknet",
    ),
    # opencv-doc photos beyond the first curated list (photo_pairs._OPENCV_PHOTOS). Its
    # copyright file's `data/*` is the source tree's cascades, not these samples: the
    # licence is that of `Files: *`, as for the first list.
    PackagePhotos(
        "opencv-doc",
        "/usr/share/doc/opencv-doc/examples/data",
        ("messi5.jpg", "squirrel_cls.jpg", "stuff.jpg"),
        "opencv",
        "Apache-2.0 AND BSD-3-Clause (Debian opencv-doc copyright file)",
    ),
)

PACKAGES_WITHOUT_PHOTOS = {
    "gnome-backgrounds": "abstract renders and patterns (WebP) and SVG artwork",
    "sway-backgrounds": "the Sway logo on flat colour",
    "desktop-base": "Debian theme artwork, logos and boot-splash images",
    "plasma-desktop-data": "icons and documentation screenshots",
}


def find_package_photos() -> tuple[list[SourcePhoto], list[str]]:
    """The photos of `PACKAGE_PHOTOS` found on this machine, and the packages missing.

    Each package's photos form their own held-out split group, so adding a package never
    moves a photo of another between `train/` and `test/`.
    """
    photos, missing = [], []
    for entry in PACKAGE_PHOTOS:
        found = []
        for name in entry.files:
            path = os.path.join(entry.folder, name)
            if os.path.isfile(path):
                stem = os.path.splitext(os.path.basename(name))[0]
                licence = entry.licence or debian_licence(entry.package, os.path.relpath(path, "/"))
                found.append(
                    SourcePhoto(
                        f"{entry.id_prefix}-{stem}", path, entry.package, licence, entry.package
                    )
                )
        photos += found
        if not found:
            missing.append(f"{entry.package} (apt-get install {entry.package})")
    return photos, missing
