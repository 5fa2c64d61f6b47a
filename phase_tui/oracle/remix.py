"""Remix sessions: each a folder `remix/<name>/` of copied fragments and a `manifest.json`.

A fragment is always a copy (the source stays where it was): copied to a temporary name in
the session's folder, then renamed. The manifest lists the fragments in order:

    {"name", "created_at", "fragments": [{"file", "source", "source_id", "kind",
                                          "added_at", "duration_s"}, ...]}

and is written atomically. A manifest that is missing or damaged is rebuilt from the audio
files in the folder, in name order, their sources unknown (None); a damaged one is kept
aside as `manifest.json.damaged-<time>`. A removed fragment's copy moves to
`trash/remix/<name>/` beside `remix/`: nothing is ever deleted.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from phase_tui.atomic import atomic_write_text, fsync_folder
from phase_tui.audio.errors import UnreadableAudio
from phase_tui.audio.probe import probe
from phase_tui.oracle.slicer import UNSAFE_CHARS, safe_stem, unique_path

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
KINDS = ("sample", "slice", "file")
AUDIO_SUFFIXES = frozenset(
    {".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".mp3", ".ogg", ".oga", ".caf", ".w64"}
)
MAX_NAME_CHARS = 80
TRASH = "trash"


class RemixSessions:
    """The remix sessions in `remix_dir` (a studio's `remix/`)."""

    def __init__(self, remix_dir: Path) -> None:
        self.remix_dir = remix_dir
        self.trash_dir = remix_dir.parent / TRASH / remix_dir.name

    def names(self) -> list[str]:
        """Every session's name, newest first."""
        if not self.remix_dir.is_dir():
            return []
        names = [path.name for path in self.remix_dir.iterdir() if path.is_dir()]
        names = [name for name in names if _is_safe(name)]
        return sorted(names, key=lambda name: (-self.manifest(name)["created_at"], name))

    def create(self, name: str) -> Path:
        """Make the session `name` (its folder and manifest); its folder. ValueError when
        the name is empty, unsafe as a folder name, or taken."""
        folder = self.remix_dir / check_name(name)
        if folder.exists():
            raise ValueError(f"a remix session {name!r} exists already")
        self.remix_dir.mkdir(parents=True, exist_ok=True)
        folder.mkdir()
        self._write(folder, {"name": name, "created_at": time.time(), "fragments": []})
        return folder

    def manifest(self, name: str) -> dict[str, Any]:
        """The session's manifest (rebuilt when missing or damaged); KeyError naming the
        session when there is none."""
        folder = self._folder(name)
        path = folder / MANIFEST
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if not _is_manifest(manifest):
                raise ValueError("not a remix manifest")
        except FileNotFoundError:
            log.warning("remix session %s had no %s: rebuilt from its files", name, MANIFEST)
        except (OSError, ValueError) as error:
            aside = unique_path(folder, f"{MANIFEST}.damaged-{time.strftime('%Y%m%d-%H%M%S')}", "")
            os.replace(path, aside)
            log.warning(
                "remix session %s: %s was damaged (%s); kept as %s, rebuilt from its files",
                name,
                MANIFEST,
                error,
                aside.name,
            )
        else:
            return manifest
        return self._write(folder, _rebuilt(folder, name))

    def add(
        self, name: str, source: Path, *, kind: str = "file", source_id: str | None = None
    ) -> dict[str, Any]:
        """Copy `source` into the session as its last fragment; the fragment. ValueError for
        an unknown kind; UnreadableAudio when `source` is not audio it can read."""
        if kind not in KINDS:
            raise ValueError(f"unknown fragment kind {kind!r}: use one of {', '.join(KINDS)}")
        manifest = self.manifest(name)
        folder = self._folder(name)
        source = source.expanduser().resolve()
        duration_s = probe(source).duration_s
        target = unique_path(folder, safe_stem(source.stem), source.suffix)
        tmp = folder / f".{target.name}.copying"
        try:
            shutil.copy2(source, tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_folder(folder)
        fragment = {
            "file": target.name,
            "source": str(source),
            "source_id": source_id,
            "kind": kind,
            "added_at": time.time(),
            "duration_s": duration_s,
        }
        manifest["fragments"].append(fragment)
        self._write(folder, manifest)
        return fragment

    def remove(self, name: str, file: str) -> None:
        """Take fragment `file` out of the session; its copy moves to the trash. KeyError
        when the session has no such fragment."""
        manifest = self.manifest(name)
        fragments = manifest["fragments"]
        index = _index(fragments, name, file)
        copy = self._folder(name) / file
        if copy.exists():
            trash = self.trash_dir / name
            trash.mkdir(parents=True, exist_ok=True)
            os.replace(copy, unique_path(trash, copy.stem, copy.suffix))
        del fragments[index]
        self._write(self._folder(name), manifest)

    def move(self, name: str, file: str, steps: int) -> list[str]:
        """Move fragment `file` `steps` places (-1 up, +1 down, kept within the list); the
        files in their new order. KeyError when the session has no such fragment."""
        manifest = self.manifest(name)
        fragments = manifest["fragments"]
        index = _index(fragments, name, file)
        fragment = fragments.pop(index)
        fragments.insert(min(max(index + steps, 0), len(fragments)), fragment)
        self._write(self._folder(name), manifest)
        return [str(item["file"]) for item in fragments]

    def _folder(self, name: str) -> Path:
        try:
            folder = self.remix_dir / check_name(name)
        except ValueError as error:
            raise KeyError(f"no remix session {name!r}") from error
        if not folder.is_dir():
            raise KeyError(f"no remix session {name!r}")
        return folder

    @staticmethod
    def _write(folder: Path, manifest: dict[str, Any]) -> dict[str, Any]:
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        atomic_write_text(folder / MANIFEST, text)
        return manifest


def check_name(name: str) -> str:
    """`name` when it is a safe session folder name; else ValueError saying why."""
    if not name.strip():
        raise ValueError("a remix session needs a name")
    unsafe = sorted({char for char in name if char in UNSAFE_CHARS or not char.isprintable()})
    if unsafe:
        shown = " ".join(repr(char) for char in unsafe)
        raise ValueError(f"a remix session's name cannot hold {shown}: {name!r}")
    if name != name.strip() or name.startswith("."):
        raise ValueError(f"a remix session's name cannot start with a dot or a space: {name!r}")
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"a remix session's name is at most {MAX_NAME_CHARS} characters")
    return name


def _is_safe(name: str) -> bool:
    try:
        check_name(name)
    except ValueError:
        return False
    return True


def _index(fragments: list[dict[str, Any]], name: str, file: str) -> int:
    for index, fragment in enumerate(fragments):
        if fragment.get("file") == file:
            return index
    raise KeyError(f"remix session {name!r} has no fragment {file!r}")


def _is_manifest(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("name"), str)
        and isinstance(value.get("created_at"), int | float)
        and isinstance(value.get("fragments"), list)
        and all(
            isinstance(item, dict) and isinstance(item.get("file"), str)
            for item in value["fragments"]
        )
    )


def _rebuilt(folder: Path, name: str) -> dict[str, Any]:
    """A manifest of the audio files in `folder`, by name; their sources are unknown."""
    fragments = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in AUDIO_SUFFIXES:
            continue
        try:
            duration_s: float | None = probe(path).duration_s
        except UnreadableAudio:
            duration_s = None
        fragments.append(
            {
                "file": path.name,
                "source": None,
                "source_id": None,
                "kind": "file",
                "added_at": path.stat().st_ctime,
                "duration_s": duration_s,
            }
        )
    return {"name": name, "created_at": folder.stat().st_mtime, "fragments": fragments}
