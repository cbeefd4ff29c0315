"""Licences from Debian's machine-readable (DEP-5) copyright files, for the data set manifests."""

from __future__ import annotations

import fnmatch
import functools
import os

DOC_ROOT = "/usr/share/doc"


@functools.cache
def copyright_paragraphs(package: str, doc_root: str = DOC_ROOT) -> tuple[dict, ...] | None:
    """`package`'s copyright file as paragraphs of {lower-case field: value} (continuation
    lines joined by newlines), read and parsed once; None when the file is missing."""
    try:
        with open(
            os.path.join(doc_root, package, "copyright"), encoding="utf-8", errors="replace"
        ) as f:
            text = f.read()
    except OSError:
        return None
    paragraphs, current, field = [], {}, None
    for line in text.splitlines() + [""]:
        if not line.strip():
            if current:
                paragraphs.append(current)
            current, field = {}, None
        elif line[0] in " \t" and field:
            current[field] += "\n" + line.strip()
        elif ":" in line:
            field, value = line.split(":", 1)
            field = field.strip().lower()
            current[field] = value.strip()
    return tuple(paragraphs)


def debian_licence(package: str, path: str, doc_root: str = DOC_ROOT) -> str:
    """The licence and copyright holders of `path` from `package`'s DEP-5 copyright file.

    `path` is matched against each `Files:` paragraph's patterns (the last match wins, as
    DEP-5 says), either as given or by its trailing components, since packages write
    patterns relative to their source tree. Falls back to naming the copyright file.
    """
    fallback = f"see /usr/share/doc/{package}/copyright"
    paragraphs = copyright_paragraphs(package, doc_root)
    if paragraphs is None:
        return fallback
    parts = path.strip("/").split("/")
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    best = None
    for paragraph in paragraphs:
        patterns = paragraph.get("files", "").split()
        if any(fnmatch.fnmatchcase(tail, p.lstrip("./")) for p in patterns for tail in tails):
            best = paragraph
    if best is None or "license" not in best:
        return fallback
    licence = best["license"].splitlines()[0].strip()
    holders = "; ".join(
        line.strip() for line in best.get("copyright", "").splitlines() if line.strip()
    )
    return f"{licence} ({holders}; Debian {package} copyright file)" if holders else licence


def package_licence(package: str, doc_root: str = DOC_ROOT) -> str | None:
    """The licences of the upstream files in a package's DEP-5 copyright file (those of
    `Files:` paragraphs not under `debian/`, first three, in order), or None."""
    licences = []
    for paragraph in copyright_paragraphs(package, doc_root) or ():
        files = paragraph.get("files")
        licence = paragraph.get("license", "").split("\n")[0].strip()
        if files is None or not licence or files.split("\n")[0].strip().startswith("debian/"):
            continue
        if licence not in licences:
            licences.append(licence)
    return " AND ".join(licences[:3]) or None
