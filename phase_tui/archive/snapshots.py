"""The archives in `archives/`: their manifests, and what changed between two of them.

A damaged archive (not a zip, no readable `MANIFEST.json`) is listed with the reason
instead of raising. A diff compares the two manifests (files added, removed, changed by
hash, counted per kind) and the Store files inside (the records of B that A lacks).
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from phase_tui.archive.export import MANIFEST_NAME, is_audio, is_store_file
from phase_tui.session.studio import CONFIG_NAME, PHASE_FILE_NAME

FILE_KINDS = ("audio", "forms", "digests", "memos", "store", "config", "other")
RECORD_KINDS = ("bounces", "memos", "forms", "samples", "slices")
CONFIG_FILES = frozenset({CONFIG_NAME, PHASE_FILE_NAME, ".stignore"})
SHOWN_NAMES = 5


@dataclass(frozen=True)
class ArchiveInfo:
    """One archive as listed; `problem` says why a damaged one could not be read."""

    name: str
    path: Path
    at: float | None = None
    session: str = ""
    minimal: bool = False
    files: int = 0
    bytes: int = 0
    problem: str | None = None


@dataclass(frozen=True)
class FileChange:
    """A file added, removed or changed; `size` in B (in A for a removed file)."""

    path: str
    kind: str
    size: int


@dataclass(frozen=True)
class RecordRef:
    """A Store record new in B: its id and a name to show."""

    id: str
    label: str


@dataclass
class ArchiveDiff:
    """What changed from archive A to archive B."""

    a: str
    b: str
    added: list[FileChange] = field(default_factory=list)
    removed: list[FileChange] = field(default_factory=list)
    changed: list[FileChange] = field(default_factory=list)
    new_records: dict[str, list[RecordRef]] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, tuple[int, int]]]:
        """For added, removed and changed: kind -> (files, bytes), kinds with files only."""
        return {change: _count(getattr(self, change)) for change in ("added", "removed", "changed")}

    def lines(self) -> list[str]:
        """A readable summary, one line per change and kind, then the new Store records."""
        lines = [f"{self.a} -> {self.b}"]
        for change, kinds in self.counts().items():
            for kind, (files, size) in kinds.items():
                lines.append(f"  {change:<8} {kind:<8} {_files(files):>10}  {format_bytes(size)}")
        for kind, refs in self.new_records.items():
            if refs:
                names = ", ".join(ref.label for ref in refs[:SHOWN_NAMES])
                more = f" and {len(refs) - SHOWN_NAMES} more" if len(refs) > SHOWN_NAMES else ""
                lines.append(f"  new {kind}: {len(refs)} ({names}{more})")
        if len(lines) == 1:
            lines.append("  no changes")
        return lines

    def to_json(self) -> dict[str, Any]:
        """The diff as plain JSON types."""
        return {
            "a": self.a,
            "b": self.b,
            "counts": {
                change: {kind: {"files": n, "bytes": size} for kind, (n, size) in kinds.items()}
                for change, kinds in self.counts().items()
            },
            **{
                change: [vars(item) for item in getattr(self, change)]
                for change in ("added", "removed", "changed")
            },
            "new_records": {
                kind: [vars(ref) for ref in refs] for kind, refs in self.new_records.items()
            },
        }


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of an archive; ValueError saying why it cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST_NAME))
    except KeyError as error:
        raise ValueError(f"no {MANIFEST_NAME}: not a Phase OS archive") from error
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        raise ValueError(f"not a readable zip ({error})") from error
    except (ValueError, zipfile.LargeZipFile) as error:
        raise ValueError(f"{MANIFEST_NAME} is damaged ({error})") from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise ValueError(f"{MANIFEST_NAME} has no file list")
    return manifest


def list_archives(archives_dir: Path) -> list[ArchiveInfo]:
    """Every `*.zip` in `archives_dir`, newest first; damaged ones carry a `problem`."""
    found = []
    for path in sorted(archives_dir.glob("*.zip")) if archives_dir.is_dir() else []:
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            manifest = read_manifest(path)
            info = ArchiveInfo(
                name=path.name,
                path=path,
                at=float(manifest["at"]),
                session=str(manifest.get("session", "")),
                minimal=bool(manifest.get("minimal", False)),
                files=len(manifest["files"]),
                bytes=sum(int(entry["size"]) for entry in manifest["files"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            reason = error.args[0] if isinstance(error, ValueError) else f"bad manifest: {error}"
            info = ArchiveInfo(path.name, path, problem=str(reason))
        found.append(info)
    return sorted(found, key=lambda info: (info.at or 0.0, info.name), reverse=True)


def diff_archives(a: Path, b: Path) -> ArchiveDiff:
    """What changed from archive `a` to archive `b` (ValueError when one is unreadable)."""
    before, after = _file_table(a), _file_table(b)
    diff = ArchiveDiff(a.name, b.name)
    for path in sorted(after.keys() - before.keys()):
        diff.added.append(FileChange(path, file_kind(path), after[path][0]))
    for path in sorted(before.keys() - after.keys()):
        diff.removed.append(FileChange(path, file_kind(path), before[path][0]))
    for path in sorted(before.keys() & after.keys()):
        if before[path][1] != after[path][1]:
            diff.changed.append(FileChange(path, file_kind(path), after[path][0]))
    old, new = _store_records(a, before), _store_records(b, after)
    for kind in RECORD_KINDS:
        refs = [
            RecordRef(record_id, _label(record))
            for record_id, record in new.get(kind, {}).items()
            if record_id not in old.get(kind, {})
        ]
        diff.new_records[kind] = sorted(refs, key=lambda ref: ref.id)
    return diff


def file_kind(path: str) -> str:
    """audio, forms, digests, memos, store, config or other."""
    relative = PurePosixPath(path)
    if is_audio(relative):
        return "audio"
    if is_store_file(relative):
        return "store"
    if len(relative.parts) == 1 and relative.name in CONFIG_FILES:
        return "config"
    top = relative.parts[0]
    return top if top in ("forms", "digests", "memos") else "other"


def _file_table(archive: Path) -> dict[str, tuple[int, str]]:
    """path -> (size, sha256) of the files in an archive's manifest; ValueError naming it."""
    try:
        return {
            str(entry["path"]): (int(entry["size"]), str(entry["sha256"]))
            for entry in read_manifest(archive)["files"]
        }
    except ValueError as error:
        raise ValueError(f"{archive.name}: {error}") from error
    except (KeyError, TypeError) as error:
        raise ValueError(f"{archive.name}: {MANIFEST_NAME} has a bad entry ({error})") from error


def _store_records(archive: Path, files: Iterable[str]) -> dict[str, dict[str, Mapping[str, Any]]]:
    """kind -> id -> record of the Store files in the archive, merged as the Store merges
    them (newest `updated_at` wins; tombstones hide the record)."""
    merged: dict[str, dict[str, Mapping[str, Any]]] = {}
    names = [name for name in files if is_store_file(PurePosixPath(name))]
    with zipfile.ZipFile(archive) as opened:
        for name in sorted(names):
            try:
                with opened.open(name) as handle:
                    tables = json.load(handle)
            except (ValueError, KeyError, zipfile.BadZipFile, zlib.error, EOFError):
                continue  # a damaged Store file adds no records
            if not isinstance(tables, dict):
                continue
            for kind in RECORD_KINDS:
                table = tables.get(kind)
                if isinstance(table, dict):
                    _merge(merged.setdefault(kind, {}), table)
    return {
        kind: {key: rec for key, rec in records.items() if not rec.get("deleted")}
        for kind, records in merged.items()
    }


def _merge(into: dict[str, Mapping[str, Any]], table: Mapping[str, Any]) -> None:
    for record_id, record in table.items():
        if not isinstance(record, dict):
            continue
        known = into.get(record_id)
        if known is None or record.get("updated_at", 0) >= known.get("updated_at", 0):
            into[record_id] = record


def _label(record: Mapping[str, Any]) -> str:
    """A name to show for a record: its name, track@version, file name or id."""
    if record.get("track") and record.get("version") is not None and not record.get("path"):
        return f"{record['track']}@{record['version']}"
    for key in ("name", "path"):
        if record.get(key):
            return PurePosixPath(str(record[key])).name
    return str(record.get("id", "?"))


def _count(changes: list[FileChange]) -> dict[str, tuple[int, int]]:
    counts: dict[str, tuple[int, int]] = {}
    for kind in FILE_KINDS:
        of_kind = [change.size for change in changes if change.kind == kind]
        if of_kind:
            counts[kind] = (len(of_kind), sum(of_kind))
    return counts


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def format_bytes(size: int) -> str:
    """`532 B`, `12.3 KB`, `301.9 MB`, `1.2 GB` (decimal units)."""
    if size < 1000:
        return f"{size} B"
    value, unit = size / 1000, "KB"
    for bigger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"
