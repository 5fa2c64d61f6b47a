"""Restore an archive, whole or some of its files, into a new folder.

The target must be a new or empty folder (never the live studio, nothing is overwritten).
Every entry is checked before anything is written: an absolute name, a drive, a `..`
component, a symlink entry, a duplicate or a path resolving outside the target is refused
with a ValueError naming the entry (zip-slip). Files are streamed out in chunks and each
one's sha256 and size are checked against the manifest once written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from phase_tui.archive.export import CHUNK_BYTES, MANIFEST_NAME
from phase_tui.archive.snapshots import read_manifest

DRIVE = re.compile(r"^[A-Za-z]:")


def restore(archive: Path, target: Path, members: Sequence[str] | None = None) -> list[Path]:
    """Extract the snapshot (or the files and folders named in `members`) into `target`;
    the files written. ValueError for a bad target, entry, member or hash."""
    target = Path(target).expanduser()
    _check_target(target)
    try:
        with zipfile.ZipFile(archive) as opened:
            infos = [info for info in opened.infolist() if info.filename != MANIFEST_NAME]
            check_entries(infos)
            manifest = _manifest_entries(archive)
            for info in infos:
                if not info.is_dir() and info.filename not in manifest:
                    raise ValueError(f"{info.filename}: in the archive but not in its manifest")
            chosen = _select([info for info in infos if not info.is_dir()], members)
            target.mkdir(parents=True, exist_ok=True)
            root = Path(os.path.realpath(target))
            destinations = [_destination(root, info.filename) for info in chosen]
            return [
                _extract(opened, info, path, manifest[info.filename])
                for info, path in zip(chosen, destinations, strict=True)
            ]
    except zipfile.BadZipFile as error:
        raise ValueError(f"{archive.name} is not a readable zip ({error})") from error


def check_entries(infos: Sequence[zipfile.ZipInfo]) -> None:
    """ValueError naming the first entry that could write outside the target."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if not name or name.startswith(("/", "\\")) or DRIVE.match(name):
            raise ValueError(f"{name!r}: absolute path in the archive, refused")
        if ".." in parts or ".." in name.split("\\"):
            raise ValueError(f"{name!r}: `..` in the path, refused")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ValueError(f"{name!r}: symlink entry, refused")
        if name in seen:
            raise ValueError(f"{name!r}: twice in the archive, refused")
        seen.add(name)


def _manifest_entries(archive: Path) -> dict[str, Mapping[str, Any]]:
    """path -> entry of the archive's manifest; ValueError when an entry has no path."""
    entries = read_manifest(archive)["files"]
    if not all(isinstance(entry, dict) and isinstance(entry.get("path"), str) for entry in entries):
        raise ValueError(f"{archive.name}: {MANIFEST_NAME} has an entry without a path")
    return {entry["path"]: entry for entry in entries}


def _check_target(target: Path) -> None:
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise ValueError(f"{target} exists and is not a folder")
        if any(target.iterdir()):
            raise ValueError(f"{target} is not empty: restore into a new or empty folder")


def _select(infos: list[zipfile.ZipInfo], members: Sequence[str] | None) -> list[zipfile.ZipInfo]:
    """Every file, or the files named in `members` and those under a named folder."""
    if members is None:
        return infos
    chosen: dict[str, zipfile.ZipInfo] = {}
    for member in members:
        name = member.strip().removeprefix("./").rstrip("/")
        found = [
            info
            for info in infos
            if info.filename == name or info.filename.startswith(f"{name}/") or not name
        ]
        if not found:
            raise ValueError(f"{member}: no such file or folder in the archive")
        chosen.update((info.filename, info) for info in found)
    return list(chosen.values())


def _destination(root: Path, name: str) -> Path:
    """`root/name`, refused (ValueError) when it resolves outside `root`."""
    path = Path(os.path.realpath(root / name))
    if os.path.commonpath([root, path]) != str(root) or path == root:
        raise ValueError(f"{name!r}: resolves outside the target, refused")
    return path


def _extract(
    opened: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, entry: Mapping[str, Any]
) -> Path:
    """Stream one member to `path` (never overwriting), then check it against the manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with opened.open(info) as source, open(path, "xb") as out:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        _discard(path)
        raise ValueError(f"{info.filename}: damaged in the archive ({error})") from error
    if digest.hexdigest() != entry.get("sha256") or size != entry.get("size"):
        _discard(path)
        raise ValueError(f"{info.filename}: its content does not match the manifest's hash")
    mtime = float(entry.get("mtime", 0.0))
    if mtime:
        os.utime(path, (mtime, mtime))
    return path


def _discard(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
