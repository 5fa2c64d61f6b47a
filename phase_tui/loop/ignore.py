"""Which files in an export folder may be bounces: audio, and not a sidecar or a copy.

DAWs and sync engines leave files beside the audio that look like audio but are not:
Ableton `.asd`, REAPER `.reapeaks`, macOS `._x.wav` AppleDouble files, temp names that are
renamed into place when the export is done, and sync-conflict copies (Syncthing
`x.sync-conflict-…wav`, Dropbox `x (Jane's conflicted copy 2025-01-01).wav`, Nextcloud
`x (conflicted copy 2025-01-01 120000).wav`). None of them is ever a candidate. Stdlib only:
the config imports this module on the fast start-up path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import translate
from functools import cached_property
from pathlib import Path

AUDIO_EXTENSIONS = frozenset({".wav", ".aif", ".aiff", ".flac", ".ogg", ".mp3"})

DEFAULT_IGNORE = (
    ".*",  # hidden files, `.DS_Store`
    "._*",  # macOS AppleDouble resource forks (`._x.wav` is not audio)
    "*.asd",  # Ableton analysis
    "*.reapeaks",  # REAPER peaks
    "*.reapindex",
    "*.pkf",  # Adobe peak files
    "*.gpk",  # WaveLab peaks
    "*.peak",
    "*.tmp",
    "*.part",
    "*~",
    "*.sync-conflict-*",  # Syncthing
    "*(*conflicted copy*)*",  # Dropbox and Nextcloud
    "*.crdownload",
)


@dataclass(frozen=True)
class IgnoreRules:
    """Audio extensions to take and file-name patterns to leave (fnmatch, case-insensitive)."""

    extensions: frozenset[str] = AUDIO_EXTENSIONS
    patterns: tuple[str, ...] = DEFAULT_IGNORE

    @cached_property
    def _ignored(self) -> re.Pattern[str]:
        """All patterns as one regular expression over a lower-cased name."""
        if not self.patterns:
            return re.compile(r"(?!)")  # matches nothing
        return re.compile("|".join(translate(pattern.lower()) for pattern in self.patterns))

    @cached_property
    def _extensions(self) -> frozenset[str]:
        return frozenset(extension.lower() for extension in self.extensions)

    def is_candidate(self, path: Path, root: Path | None = None) -> bool:
        """True when `path` has an audio extension, no pattern matches its name, and no
        folder between `root` (a watched folder) and the file is hidden."""
        if not self.name_is_candidate(path.name):
            return False
        return root is None or not _in_hidden_folder(path, root)

    def name_is_candidate(self, name: str) -> bool:
        """True when a file name has an audio extension and no pattern matches it."""
        name = name.lower()
        return os.path.splitext(name)[1] in self._extensions and not self._ignored.match(name)

    def candidates_under(self, folder: Path, root: Path) -> Iterator[str]:
        """Every candidate file under `folder` (inside the watched `root`); links to folders
        are not followed (no loops), hidden folders are not entered. Paths come as strings:
        a catch-up walks thousands, and making each a `Path` cost a third of a re-scan."""
        if folder.is_symlink():
            return
        if _in_hidden_folder(folder / "-", root):
            return
        for top, subfolders, names in os.walk(folder, followlinks=False):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            prefix = os.path.join(top, "")
            for name in names:
                if self.name_is_candidate(name):  # hidden folders are pruned above
                    yield prefix + name


def _in_hidden_folder(path: Path, root: Path) -> bool:
    """True when a folder below `root` on the way to `path` starts with a dot."""
    try:
        folders = path.parent.relative_to(root).parts
    except ValueError:  # not under root: only the name counts
        return False
    return any(folder.startswith(".") for folder in folders)
