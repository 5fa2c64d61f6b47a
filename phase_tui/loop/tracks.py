"""Grouping bounces into tracks: `memory-spike-v2.wav`, `memory spike v3.wav` and
`Memory Spike (final).wav` are versions of the track `memory spike`.

The track key is the file name lower-cased, with separators made spaces and version
markers taken off its end: `v2`, `v2.1`, `version 3`, `take 4`, a bare trailing number,
`(final)`, `[master]`, and words like final, master, mix, mixdown, edit, demo, draft, wip,
alt, rough, bounce, export, copy. What was taken off is the version label.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

VERSION_WORDS = (
    "final",
    "master",
    "mastered",
    "mix",
    "mixdown",
    "edit",
    "demo",
    "draft",
    "wip",
    "alt",
    "rough",
    "bounce",
    "export",
    "copy",
    "new",
    "old",
    "full",
    "radio",
    "extended",
    "premaster",
)
_SEPARATORS = re.compile(r"[\s_\-.]+")
_BRACKETED_END = re.compile(r"\s*[(\[{]([^()\[\]{}]*)[)\]}]\s*$")
_VERSION_END = re.compile(
    r"(?:^|\s)((?:v|ver|version|take|rev|r)\s*\d+(?:\s\d+)*|\d+|"
    + "|".join(VERSION_WORDS)
    + r")\s*$"
)


def track_key(file_name: str) -> str:
    """The track a file name belongs to (see the module docstring)."""
    return split_version(file_name)[0]


def version_label(file_name: str) -> str:
    """What marks this file as a version (`v2`, `final`...); "" for the plain name."""
    return split_version(file_name)[1]


def split_version(file_name: str) -> tuple[str, str]:
    """(track key, version label) of a file name."""
    stem = unicodedata.normalize("NFC", PurePath(file_name).stem).lower()
    name = _SEPARATORS.sub(" ", stem).strip()
    taken: list[str] = []
    while True:
        bracketed = _BRACKETED_END.search(name)
        if bracketed and bracketed.start() > 0:
            taken.append(bracketed.group(1).strip())
            name = name[: bracketed.start()].strip()
            continue
        marker = _VERSION_END.search(name)
        if marker and marker.start(1) > 0:
            taken.append(marker.group(1))
            name = name[: marker.start(1)].strip()
            continue
        break
    return name or stem, " ".join(reversed([t for t in taken if t]))
