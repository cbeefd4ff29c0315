import os
import shutil

import numpy as np
import pytest

from keras_gan.data.sample_sets import debian_photos
from keras_gan.data.sample_sets.debian_photos import (
    PACKAGE_PHOTOS,
    PackagePhotos,
    debian_licence,
    find_package_photos,
)
from keras_gan.data.sample_sets.source_photo import SourcePhoto, held_out_ids, held_out_split

_COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: example

Files: *
Copyright: 2001, Upstream Person
License: GPL-2+

Files: nature/Leaf.jpg
       nature/Tree.jpg
Copyright: 2008, Leaf Author <leaf@example.org>
           2009, Second Author
License: CC-BY-SA-3.0
 Long licence text that is not part of the name.

Files: debian/*
Copyright: 2020, Packager
License: GPL-2+
"""


@pytest.fixture
def doc_root(tmp_path):
    (tmp_path / "doc" / "example").mkdir(parents=True)
    (tmp_path / "doc" / "example" / "copyright").write_text(_COPYRIGHT)
    return str(tmp_path / "doc")


def test_licence_of_the_last_matching_paragraph(doc_root):
    leaf = debian_licence("example", "usr/share/backgrounds/example/nature/Tree.jpg", doc_root)
    assert leaf == (
        "CC-BY-SA-3.0 (2008, Leaf Author <leaf@example.org>; 2009, Second Author; "
        "Debian example copyright file)"
    )
    other = debian_licence("example", "usr/share/example/other.jpg", doc_root)
    assert other == "GPL-2+ (2001, Upstream Person; Debian example copyright file)"
    assert debian_licence("absent", "x.jpg", doc_root) == "see /usr/share/doc/absent/copyright"


def test_finds_listed_files_with_one_split_group_per_package(tmp_path, monkeypatch, doc_root):
    folder = tmp_path / "share" / "example"
    (folder / "nature").mkdir(parents=True)
    for name in ("Leaf.jpg", "Tree.jpg"):
        (folder / "nature" / name).write_bytes(b"jpeg")
    table = (
        PackagePhotos("example", str(folder), ("nature/Leaf.jpg", "nature/Gone.jpg"), "ex"),
        PackagePhotos("absent", str(tmp_path / "nowhere"), ("a.jpg",), "ab"),
        PackagePhotos("example", str(folder), ("nature/Tree.jpg",), "ex2", "CC0 (given)"),
    )
    monkeypatch.setattr(debian_photos, "PACKAGE_PHOTOS", table)
    real = debian_photos.debian_licence
    monkeypatch.setattr(
        debian_photos, "debian_licence", lambda package, path: real(package, path, doc_root)
    )
    photos, missing = find_package_photos()
    assert [(p.id, p.source, p.split_group) for p in photos] == [
        ("ex-Leaf", "example", "example"),
        ("ex2-Tree", "example", "example"),
    ]
    assert photos[0].licence.startswith("CC-BY-SA-3.0 (2008, Leaf Author")
    assert photos[1].licence == "CC0 (given)"
    assert missing == ["absent (apt-get install absent)"]


def test_a_new_group_never_moves_earlier_photos():
    first = [SourcePhoto(f"old-{i}", "", "s", "l") for i in range(33)]
    added = [SourcePhoto(f"new-{i}", "", "pkg", "l", "pkg") for i in range(12)]
    before = held_out_split(first, 0.2, seed=0)
    assert before == held_out_ids([p.id for p in first], 0.2, seed=0) and len(before) == 7
    after = held_out_split(first + added, 0.2, seed=0)
    assert {i for i in after if i.startswith("old-")} == before
    assert len(after - before) == 2  # round(0.2 * 12) of the new package
    assert held_out_split(first + added, 0.2, seed=1) != after


def test_listed_photos_exist_where_their_package_is_installed():
    checked = 0
    for entry in PACKAGE_PHOTOS:
        if not os.path.isdir(entry.folder) or shutil.which("dpkg") is None:
            continue
        absent = [f for f in entry.files if not os.path.isfile(os.path.join(entry.folder, f))]
        assert not absent, f"{entry.package} no longer ships {absent}"
        checked += 1
    if not checked:
        pytest.skip("none of the photo packages is installed (make data installs them)")
    photos, _ = find_package_photos()
    assert len({p.id for p in photos}) == len(photos)
    assert np.all([p.licence and "copyright" in p.licence for p in photos])
