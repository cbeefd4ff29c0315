"""The machine's installed fonts that draw the ten digits, grouped by typeface, with licences.

Fonts are listed by fontconfig (`fc-list`), else found under the usual font folders; a
font counts only when Pillow renders ten distinct, non-empty digit glyphs with it (so
symbol, dingbat and math-extension fonts drop out). The package shipping each file and
its licence come from dpkg and the package's Debian copyright file, where present.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from keras_gan.data.sample_sets.debian_copyright import package_licence

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))
FONT_EXTENSIONS = (".ttf", ".otf")


@dataclasses.dataclass(frozen=True)
class DigitFont:
    """One font file: `typeface` (its family) is the unit held out, `id` names its files."""

    id: str
    path: str
    typeface: str
    style: str
    package: str | None = None
    licence: str | None = None


def _fc_list() -> list[tuple[str, str, str]]:
    if shutil.which("fc-list") is None:
        return []
    done = subprocess.run(
        ["fc-list", "--format", "%{file}\t%{family[0]}\t%{style[0]}\n"],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].lower().endswith(FONT_EXTENSIONS):
            rows.append((parts[0], parts[1].strip() or "?", parts[2].strip() or "Regular"))
    return rows


def _walk(dirs) -> list[tuple[str, str, str]]:
    rows = []
    for folder in dirs:
        for root, _, files in os.walk(folder):
            for name in sorted(files):
                if name.lower().endswith(FONT_EXTENSIONS):
                    path = os.path.join(root, name)
                    try:
                        family, style = ImageFont.truetype(path, 12).getname()
                    except OSError:
                        continue
                    rows.append((path, family or name, style or "Regular"))
    return rows


def draws_digits(path: str, size: int = 32) -> bool:
    """Whether the font renders the ten digits as ten distinct, non-empty glyphs."""
    try:
        font = ImageFont.truetype(path, size)
    except OSError:
        return False
    masks = []
    for digit in "0123456789":
        canvas = Image.new("L", (2 * size, 2 * size), 0)
        ImageDraw.Draw(canvas).text((size // 4, size // 4), digit, fill=255, font=font)
        array = np.asarray(canvas) > 127
        if array.sum() < size // 2:
            return False
        masks.append(array.tobytes())
    return len(set(masks)) == 10


def _file_id(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", os.path.splitext(os.path.basename(path))[0]).strip("-")


def _packages(paths: list[str]) -> dict[str, str]:
    if not paths or shutil.which("dpkg") is None:
        return {}
    done = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True, check=False)
    owners = {}
    for line in done.stdout.splitlines():
        package, _, path = line.partition(": ")
        if path:
            owners[path.strip()] = package.split(":")[0].strip()
    return owners


def find_digit_fonts(paths: list[str] | None = None) -> list[DigitFont]:
    """The installed fonts (or the given font files) that draw the ten digits, sorted by id.

    Duplicate files (the same name in two folders, or one id twice) are kept once.
    """
    if paths is not None:
        rows = []
        for path in paths:
            try:
                family, style = ImageFont.truetype(path, 12).getname()
            except OSError as error:
                raise ValueError(f"Cannot read the font {path!r}: {error}") from None
            rows.append((path, family, style))
    else:
        rows = _fc_list() or _walk(FONT_DIRS)
    by_id = {}
    for path, family, style in sorted(rows):
        font_id = _file_id(path)
        if font_id and font_id not in by_id and draws_digits(path):
            by_id[font_id] = (path, family, style)
    owners = _packages([path for path, _, _ in by_id.values()])
    licences = {package: package_licence(package) for package in set(owners.values())}
    return [
        DigitFont(
            font_id, path, family, style, owners.get(path), licences.get(owners.get(path, ""))
        )
        for font_id, (path, family, style) in sorted(by_id.items())
    ]
