"""The bounce catalogue: what is in the export folders, as records of kind `bounces`.

`register` turns files into records from their headers alone (fast; a re-scan of an
unchanged file costs one `stat`); `hash_file` and `analyse` read a file without writing;
`classify` stores hashes and levels of many records in one write and says what each file
is (a new bounce, a re-export, a duplicate of another file, a moved or renamed file, a file
that vanished). One lock guards the in-memory index, so the watcher, the scan and the
analysis threads may all use one catalogue.

Only a whole audio file is a bounce (see `bounce_fields` for the statuses); none other is
hashed or journalled until it changes into a whole file. Links are not followed (one record
per real file). A file that vanished is `missing`, never forgotten, unless it was never a
bounce (vanished before it could be read).

A file inside the studio is stored by its studio-relative path (`bounces/x.wav`), so the
same studio synced to another machine, mounted elsewhere, finds the same records; a file
in an export folder outside the studio is stored by its absolute path.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.audio.hashing import content_hash
from phase_tui.loop.bounce_fields import (
    DUPLICATE,
    MISSING,
    NOT_AUDIO,
    OK,
    UNREADABLE,
    bounce_file,
    content_changed,
    failure_reason,
    file_status,
    folder_prefix,
    header_fields,
    moved_fields,
    unchanged,
)
from phase_tui.store import Record, Store

__all__ = [
    "BOUNCES",
    "DUPLICATE",
    "MISSING",
    "OK",
    "UNREADABLE",
    "BounceCatalogue",
    "Identified",
    "ScanReport",
]

log = logging.getLogger(__name__)

BOUNCES = "bounces"


@dataclass(frozen=True)
class Identified:
    """What `classify` found a registered file to be."""

    # "new", "reexport" (same path, new content), "duplicate", "moved", "same" (content
    # unchanged), "gone" (vanished before it was read), "changing" (changed while read),
    # or a status of NOT_AUDIO (not hashed)
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
    settling: list[Path] = field(default_factory=list)  # still being written: left to settle

    def counts(self) -> dict[str, int]:
        """How many files were seen, new, changed, vanished and unchanged (as the control
        socket answers `bounces.scan`, and `phase-os scan` prints)."""
        return {
            "seen": self.seen,
            "new": len(self.new),
            "changed": len(self.changed),
            "vanished": len(self.vanished),
            "unchanged": self.unchanged,
        }


class BounceCatalogue:
    """Bounce records and their indexes (path -> record, id -> record)."""

    def __init__(self, store: Store, root: Path, context: Callable[[], Mapping[str, Any]]) -> None:
        """`root` is the studio; `context()` gives what new records carry: session, phase..."""
        self.store = store
        self.root = root
        self._root_prefix = os.fspath(root).rstrip("/") + "/"
        self._context = context
        self._lock = threading.RLock()
        self._by_path: dict[str, Record] = {}
        self._by_id: dict[str, Record] = {}
        self.reload()

    def reload(self) -> None:
        """Rebuild the indexes from the Store (after another process changed it)."""
        with self._lock:  # built aside, then swapped in whole (`get` reads without the lock)
            records = self.store.all(BOUNCES)
            by_id = {record["id"]: record for record in records}
            self._by_path = {record["path"]: record for record in records}
            self._by_id = by_id

    def records(self) -> list[Record]:
        """Every bounce record, oldest first."""
        with self._lock:
            return sorted(self._by_path.values(), key=lambda r: r["id"])

    def get(self, record_id: str) -> Record | None:
        """A record by id, or None. Read without the lock, which a Store write holds for tens
        of milliseconds that the analysis workers must not wait: the index is only changed
        key by key or replaced whole, each an atomic step."""
        return self._by_id.get(record_id)

    def by_path(self, path: Path) -> Record | None:
        with self._lock:
            return self._by_path.get(self.location(path))

    def unfinished(self) -> list[Record]:
        """Audio records not yet hashed or measured (a run ended before its analysis did)."""
        with self._lock:
            return [
                record
                for record in self.records()
                if record.get("status") in (OK, DUPLICATE)
                and not (record.get("hash") and record.get("analysed"))
            ]

    def location(self, path: str | Path) -> str:
        """How a file is stored: studio-relative inside the studio, else absolute."""
        text = os.fspath(path)  # a string test: Path.relative_to costs more than the stat
        prefix = self._root_prefix
        if text.startswith(prefix):
            return text[len(prefix) :]
        return "." if text == prefix[:-1] else text  # the studio itself, as relative_to says

    def resolve(self, record: Mapping[str, Any]) -> Path:
        """The file of a record on this machine."""
        return bounce_file(self.root, record)

    def _remember(self, record: Record) -> None:
        """Index a record by path and by id (callers hold the lock)."""
        self._by_path[record["path"]] = record
        self._by_id[record["id"]] = record

    def _forget(self, record: Record) -> None:
        """Drop a record from the indexes (callers hold the lock)."""
        self._by_id.pop(record["id"], None)
        if self._by_path.get(record["path"], {}).get("id") == record["id"]:
            del self._by_path[record["path"]]

    # ------------------------------------------------------------------ registering
    def register(
        self,
        paths: Iterable[str | Path],
        fresh_s: float = 0.0,
        on_fresh: Callable[[Path], None] | None = None,
    ) -> tuple[list[Record], list[Record]]:
        """Record new and changed files from their headers; returns (new, changed).

        Unchanged files (same size and mtime) cost a `stat`. A file that vanished is
        marked missing. Links, and a second name of a file already seen in this batch,
        are skipped. With `on_fresh`, a new or changed file modified less than `fresh_s`
        ago (still being written) is handed to it instead of being registered.
        """
        inserts: list[dict[str, Any]] = []
        updates: dict[str, dict[str, Any]] = {}
        seen_inodes: set[tuple[int, int]] = set()
        now = time.time()
        with self._lock:
            for path in paths:
                key = self.location(path)
                known = self._by_path.get(key)
                st = file_status(path)
                if st is None:
                    if known is not None and known.get("status") != MISSING:
                        updates[known["id"]] = {"status": MISSING, "missing_since": now}
                    continue
                inode = (st.st_dev, st.st_ino)
                if inode in seen_inodes or not stat.S_ISREG(st.st_mode):
                    continue  # a second name, a link, a folder, a pipe
                seen_inodes.add(inode)
                if unchanged(known, st):
                    continue
                if on_fresh is not None and now - st.st_mtime < fresh_s:
                    on_fresh(Path(path))
                    continue
                fields = {**header_fields(Path(path), st), "path": key}
                if known is None:
                    inserts.append({**fields, **self._context(), "hash": None})
                else:
                    updates[known["id"]] = {**fields, **content_changed(known)}
            return self._write_registered(inserts, updates)

    def _write_registered(
        self, inserts: list[dict[str, Any]], updates: dict[str, dict[str, Any]]
    ) -> tuple[list[Record], list[Record]]:
        new = self.store.insert_many(BOUNCES, inserts)
        changed = self.store.update_many(BOUNCES, updates) if updates else []
        for record in (*new, *changed):
            self._remember(record)
        return new, [r for r in changed if r.get("status") != MISSING]

    def mark_missing(self, paths: Iterable[Path]) -> list[Record]:
        """Mark the records of `paths` that no longer exist as missing (one write)."""
        now = time.time()
        with self._lock:
            gone = {}
            for path in paths:
                known = self._by_path.get(self.location(path))
                present = known is None or known.get("status") == MISSING
                if not present and file_status(path) is None:
                    gone[known["id"]] = {"status": MISSING, "missing_since": now}
            return self._update(gone)

    def mark_vanished(self, folders: Iterable[Path], present: Iterable[str | Path]) -> list[Record]:
        """Mark records under `folders` whose file is not among `present` as missing."""
        roots = [folder_prefix(self.location(folder)) for folder in folders]
        present = {self.location(path) for path in present}
        with self._lock:
            gone = {
                record["id"]: {"status": MISSING, "missing_since": time.time()}
                for path, record in self._by_path.items()
                if record.get("status") != MISSING
                and path not in present
                and any(path.startswith(root) for root in roots)
            }
            return self._update(gone)

    def _update(self, changes: Mapping[str, Mapping[str, Any]]) -> list[Record]:
        """Write field changes of several records in one go (none: no write)."""
        if not changes:
            return []
        updated = self.store.update_many(BOUNCES, changes)
        for record in updated:
            self._remember(record)
        return updated

    # ------------------------------------------------------------------ reading files
    def hash_file(self, record: Mapping[str, Any]) -> str | None:
        """The content hash of a record's file; None when it cannot be read whole (it
        vanished or changed meanwhile, or is unreadable). Nothing is written."""
        try:
            return content_hash(self.resolve(record))
        except UnreadableAudio:
            return None

    def analyse(self, record: Mapping[str, Any]) -> dict[str, Any] | None:
        """The levels of a record's file, as fields to store (nothing is written); None when
        the file vanished or changed while it was read (nothing to say about it yet)."""
        from phase_tui.audio.levels import analyse_levels  # numpy: only once there is audio

        try:
            levels = analyse_levels(self.resolve(record))
        except UnreadableAudio as error:
            if not self._holds(record):
                return None
            return {"status": UNREADABLE, "reason": error.reason, "analysed": True}
        except Exception as error:  # a library's surprise: this file only, the batch goes on
            log.exception("measuring %s failed", record["path"])
            return {"status": UNREADABLE, "reason": failure_reason(error), "analysed": True}
        return {
            "peak_dbfs": levels.peak_dbfs,
            "rms_dbfs": levels.rms_dbfs,
            "lufs": levels.lufs,
            "analysed": True,
        }

    def _holds(self, record: Mapping[str, Any]) -> bool:
        """True when the record's file is still there as it was registered."""
        st = file_status(self.resolve(record))
        return unchanged(record, st) if st is not None else False

    # ------------------------------------------------------------------ identifying
    def classify(
        self,
        hashes: Mapping[str, str | None],
        analyses: Mapping[str, Mapping[str, Any] | None] | None = None,
    ) -> list[Identified]:
        """Store hashes (and levels) of records and say what each file is, in one write.

        A hash None means the file could not be read: it is `gone` when it vanished (a
        bounce is marked missing, a file never read is dropped), else `changing`. A hash
        already known for a file no longer there means the file moved (the old record
        keeps its id and history); for a file still there, a duplicate.
        """
        analyses = analyses or {}
        with self._lock:
            by_hash = self._hash_index()
            changes: dict[str, dict[str, Any]] = {}
            found: list[tuple[str, str, Record | None]] = []
            moves: list[tuple[Record, Record]] = []
            dropped: list[Record] = []
            for record_id in sorted({*hashes, *analyses}):
                record = self._by_id.get(record_id)
                if record is None:
                    continue
                fields = dict(analyses.get(record_id) or {})
                digest = hashes.get(record_id, record.get("hash"))
                taken = {original["id"] for _, original in moves}
                kind, other = self._identify(record, digest, fields, by_hash, taken)
                if kind == "moved" and other is not None:
                    moves.append((record, other))
                    changes[other["id"]] = moved_fields(record, other, fields)
                    continue
                if kind == "gone" and not record.get("logged"):
                    dropped.append(record)
                    continue
                if fields:
                    changes[record_id] = fields
                found.append((record_id, kind, other))
            updated = {r["id"]: r for r in self._update(changes)}
            results = [
                Identified(kind, updated.get(record_id, self._by_id[record_id]), other)
                for record_id, kind, other in found
            ]
            results.extend(self._move(current, original, updated) for current, original in moves)
            results.extend(self._drop(record) for record in dropped)
            return results

    def _hash_index(self) -> dict[str, Record]:
        """Content hash -> the oldest record with it (callers hold the lock)."""
        by_hash: dict[str, Record] = {}
        for record in sorted(self._by_id.values(), key=lambda r: r["id"]):
            if record.get("hash"):
                by_hash.setdefault(record["hash"], record)
        return by_hash

    def _identify(
        self,
        record: Record,
        digest: str | None,
        fields: dict[str, Any],
        by_hash: dict[str, Record],
        taken: set[str],
    ) -> tuple[str, Record | None]:
        """What one file is; adds the fields to store to `fields` (callers hold the lock).

        `taken`: ids of records another file of this batch already moved into."""
        status = fields.get("status", record.get("status"))
        if status in NOT_AUDIO:
            return status, None
        if digest is None:
            if file_status(self.resolve(record)) is not None:
                return "changing", None
            fields.update(status=MISSING, missing_since=time.time())
            return "gone", None
        if digest == record.get("hash"):
            return "same", None
        if digest == record.get("previous_hash"):  # touched, or back: content as before
            status = DUPLICATE if record.get("duplicate_of") else OK
            fields.update(hash=digest, previous_hash=None, status=status)
            return "same", None
        original = by_hash.get(digest)
        if original is not None and original["id"] != record["id"]:
            gone = original.get("status") == MISSING or not self._holds(original)
            if gone and original["id"] not in taken:
                return "moved", original
            fields.update(hash=digest, status=DUPLICATE, duplicate_of=original["id"])
            return "duplicate", original
        kind = "reexport" if record.get("logged") else "new"
        fields.update(hash=digest, logged=True, previous_hash=None, duplicate_of=None)
        by_hash[digest] = record
        return kind, None

    def _move(self, current: Record, original: Record, updated: Mapping[str, Record]) -> Identified:
        """The file of `original` reappeared as `current`: the original record keeps its
        id, `current` (registered a moment ago) goes (callers hold the lock)."""
        self.store.delete(BOUNCES, current["id"])
        self._forget(current)
        self._forget(original)
        moved = updated[original["id"]]
        self._remember(moved)
        return Identified("moved", moved, original)

    def _drop(self, record: Record) -> Identified:
        """Forget a record whose file vanished before it was ever read whole."""
        self.store.delete(BOUNCES, record["id"])
        self._forget(record)
        return Identified("gone", record)
