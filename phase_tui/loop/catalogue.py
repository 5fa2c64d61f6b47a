"""The bounce catalogue: what is in the export folders, as records of kind `bounces`.

`register` turns files into records from their headers alone (fast; a re-scan of an
unchanged file costs one `stat`); `hash_file` and `analyse` read a file without writing;
`classify` stores hashes and levels of many records in one write and says what each file
is (a new bounce, a re-export of identical content, a moved or renamed file). One lock
guards the in-memory index, so the watcher, the scan and the analysis threads may all use
one catalogue.

A file inside the studio is stored by its studio-relative path (`bounces/x.wav`), so the
same studio synced to another machine, mounted elsewhere, finds the same records; a file
in an export folder outside the studio is stored by its absolute path.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.audio.hashing import content_hash
from phase_tui.loop.tracks import split_version
from phase_tui.store import Record, Store

BOUNCES = "bounces"
OK, UNREADABLE, MISSING, DUPLICATE = "ok", "unreadable", "missing", "duplicate"


@dataclass(frozen=True)
class Identified:
    """What `classify` found a registered file to be."""

    # "new", "reexport" (same path, new content), "duplicate", "moved", "same" (content
    # unchanged), "gone" (vanished before hashing), "unreadable" (not audio: not hashed)
    kind: str
    record: Record
    other: Record | None = None  # the original of a duplicate, or the record a file moved from


@dataclass
class ScanReport:
    """What a catch-up scan found."""

    seen: int = 0
    new: list[Record] = field(default_factory=list)
    changed: list[Record] = field(default_factory=list)
    vanished: list[Record] = field(default_factory=list)
    unchanged: int = 0


class BounceCatalogue:
    """Bounce records and their indexes (path -> record, hash -> records)."""

    def __init__(self, store: Store, root: Path, context: Callable[[], Mapping[str, Any]]) -> None:
        """`root` is the studio; `context()` gives what new records carry: session, phase..."""
        self.store = store
        self.root = root
        self._context = context
        self._lock = threading.RLock()
        self._by_path: dict[str, Record] = {}
        self._by_id: dict[str, Record] = {}
        self.reload()

    def reload(self) -> None:
        """Rebuild the indexes from the Store (after another process changed it)."""
        with self._lock:
            self._by_path, self._by_id = {}, {}
            for record in self.store.all(BOUNCES):
                self._remember(record)

    def records(self) -> list[Record]:
        """Every bounce record, oldest first."""
        with self._lock:
            return sorted(self._by_path.values(), key=lambda r: r["id"])

    def get(self, record_id: str) -> Record | None:
        """A record by id, or None."""
        with self._lock:
            return self._by_id.get(record_id)

    def by_path(self, path: Path) -> Record | None:
        with self._lock:
            return self._by_path.get(self.location(path))

    def location(self, path: Path) -> str:
        """How a file is stored: studio-relative inside the studio, else absolute."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def resolve(self, record: Mapping[str, Any]) -> Path:
        """The file of a record on this machine."""
        return self.root / record["path"]  # an absolute stored path stays absolute

    def _remember(self, record: Record) -> None:
        """Index a record by path and by id (callers hold the lock)."""
        self._by_path[record["path"]] = record
        self._by_id[record["id"]] = record

    # ------------------------------------------------------------------ registering
    def register(self, paths: Iterable[Path]) -> tuple[list[Record], list[Record]]:
        """Record new and changed files from their headers; returns (new, changed).

        Unchanged files (same size and mtime) cost a `stat`. A file that vanished is
        marked missing. Links to a file already registered in this batch are skipped.
        """
        inserts: list[dict[str, Any]] = []
        updates: dict[str, dict[str, Any]] = {}
        seen_inodes: set[tuple[int, int]] = set()
        with self._lock:
            for path in paths:
                key = self.location(path)
                known = self._by_path.get(key)
                try:
                    st = os.stat(path)
                except OSError:
                    if known is not None and known.get("status") != MISSING:
                        updates[known["id"]] = {"status": MISSING, "missing_since": time.time()}
                    continue
                inode = (st.st_dev, st.st_ino)
                if inode in seen_inodes or not os.path.isfile(path):
                    continue
                seen_inodes.add(inode)
                if (
                    known is not None
                    and known.get("size") == st.st_size
                    and known.get("mtime_ns") == st.st_mtime_ns
                    and known.get("status") != MISSING
                ):
                    continue
                fields = {**_header_fields(path, st), "path": key}
                if known is None:
                    inserts.append({**fields, **self._context(), "hash": None})
                else:
                    updates[known["id"]] = {**fields, "hash": None, "missing_since": None}
            new = self.store.insert_many(BOUNCES, inserts)
            changed = self.store.update_many(BOUNCES, updates) if updates else []
            for record in (*new, *changed):
                self._remember(record)
        return new, [r for r in changed if r.get("status") != MISSING]

    def mark_vanished(self, folders: Iterable[Path], present: Iterable[Path]) -> list[Record]:
        """Mark records under `folders` whose file is not among `present` as missing."""
        roots = [self.location(folder).rstrip("/") + "/" for folder in folders]
        present = {self.location(path) for path in present}
        with self._lock:
            gone = {
                record["id"]: {"status": MISSING, "missing_since": time.time()}
                for path, record in self._by_path.items()
                if record.get("status") != MISSING
                and path not in present
                and any(path.startswith(root) for root in roots)
            }
            if not gone:
                return []
            updated = self.store.update_many(BOUNCES, gone)
            for record in updated:
                self._remember(record)
            return updated

    # ------------------------------------------------------------------ identifying
    def hash_file(self, record: Mapping[str, Any]) -> str | None:
        """The content hash of a record's file; None when it vanished (nothing is written)."""
        try:
            return content_hash(self.resolve(record))
        except UnreadableAudio:
            return None

    def analyse(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The levels of a record's file, as fields to store (nothing is written)."""
        from phase_tui.audio.levels import analyse_levels  # numpy: only once there is audio

        try:
            levels = analyse_levels(self.resolve(record))
        except UnreadableAudio as error:
            return {"status": UNREADABLE, "reason": error.reason, "analysed": True}
        return {
            "peak_dbfs": levels.peak_dbfs,
            "rms_dbfs": levels.rms_dbfs,
            "lufs": levels.lufs,
            "analysed": True,
        }

    def classify(
        self,
        hashes: Mapping[str, str | None],
        analyses: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[Identified]:
        """Store hashes (and levels) of records and say what each file is, in one write.

        A hash already known for a missing file means the file moved there (the old record
        keeps its id and history); known for a present file, a duplicate re-export.
        """
        analyses = analyses or {}
        with self._lock:
            by_id = self._by_id
            by_hash: dict[str, Record] = {}
            for record in sorted(by_id.values(), key=lambda r: r["id"]):
                if record.get("hash"):
                    by_hash.setdefault(record["hash"], record)
            changes: dict[str, dict[str, Any]] = {}
            found: list[tuple[str, str, Record | None]] = []
            moves: list[tuple[Record, Record, str]] = []
            for record_id in {*hashes, *analyses}:
                record = by_id.get(record_id)
                if record is None:
                    continue
                fields = dict(analyses.get(record_id, {}))
                digest = hashes.get(record_id, record.get("hash"))
                unreadable = fields.get("status", record.get("status")) == UNREADABLE
                if unreadable or digest is None or digest == record.get("hash"):
                    if fields:
                        changes[record_id] = fields
                    kind = "unreadable" if unreadable else "gone" if digest is None else "same"
                    found.append((record_id, kind, None))
                    continue
                original = by_hash.get(digest)
                if original is not None and original["id"] != record_id:
                    if original.get("status") == MISSING:
                        moves.append((record, original, digest))
                        continue
                    fields.update(hash=digest, status=DUPLICATE, duplicate_of=original["id"])
                    found.append((record_id, "duplicate", original))
                else:
                    kind = "reexport" if record.get("logged") else "new"
                    fields.update(hash=digest, logged=True)
                    by_hash[digest] = record
                    found.append((record_id, kind, None))
                changes[record_id] = fields
            updated = {r["id"]: r for r in self.store.update_many(BOUNCES, changes)}
            for record in updated.values():
                self._remember(record)
            results = [
                Identified(kind, updated.get(record_id, by_id[record_id]), other)
                for record_id, kind, other in found
            ]
            results.extend(self._move(new, old, digest) for new, old, digest in moves)
            return results

    def _move(self, current: Record, original: Record, digest: str) -> Identified:
        """The file of `original` reappeared as `current`: keep the original record."""
        moved = {
            k: current.get(k)
            for k in ("path", "name", "track", "version", "size", "mtime_ns", "mtime")
        }
        updated = self.store.update(
            BOUNCES, original["id"], {**moved, "status": OK, "missing_since": None, "hash": digest}
        )
        self.store.delete(BOUNCES, current["id"])
        self._by_path.pop(original["path"], None)
        self._by_id.pop(current["id"], None)
        self._remember(updated)
        return Identified("moved", updated, original)


def _header_fields(path: Path, st: os.stat_result) -> dict[str, Any]:
    """The fields a record gets from its file's name, stat and audio header."""
    track, version = split_version(path.name)
    fields: dict[str, Any] = {
        "name": path.name,
        "track": track,
        "version": version,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "mtime": st.st_mtime,
        "analysed": False,
        "missing_since": None,
    }
    from phase_tui.audio.probe import probe  # soundfile: only once there is audio

    try:
        header = probe(path)
    except UnreadableAudio as error:
        return {**fields, "status": UNREADABLE, "reason": error.reason}
    return {
        **fields,
        "status": OK,
        "reason": None,
        "problem": header.problem,
        "format": header.format,
        "subtype": header.subtype,
        "sample_rate_hz": header.sample_rate_hz,
        "channels": header.channels,
        "frames": header.frames,
        "duration_s": header.duration_s,
    }
