"""The bounce catalogue: what is in the export folders, as records of kind `bounces`.

`register` turns files into records from their headers alone (fast; a re-scan of an
unchanged file costs one `stat`); `hash_file` and `analyse` read a file without writing;
`classify` stores hashes and levels of many records in one write and says what each file
is (a new bounce, a re-export, a duplicate of another file, a moved or renamed file, a file
that vanished). One lock guards the in-memory index, so the watcher, the scan and the
analysis threads may all use one catalogue.

Only a whole audio file is a bounce: a file that cannot be read is `unreadable`, one with no
audio `empty`, one whose data chunk is cut short or was never finalised `incomplete`, each
with its `reason`; none is journalled until it changes into a whole file. Links are not
followed (one record per real file). A file that vanished is `missing`, never forgotten,
unless it was never a bounce (vanished before it could be read).

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
from phase_tui.loop.tracks import split_version
from phase_tui.store import Record, Store

log = logging.getLogger(__name__)

BOUNCES = "bounces"
OK, UNREADABLE, MISSING, DUPLICATE = "ok", "unreadable", "missing", "duplicate"
EMPTY, INCOMPLETE = "empty", "incomplete"
NOT_AUDIO = frozenset({UNREADABLE, EMPTY, INCOMPLETE})
"""Statuses of files that are not (yet) a whole bounce: never hashed, never journalled."""

MOVED_FIELDS = ("path", "name", "track", "version", "size", "mtime_ns", "mtime")


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


class BounceCatalogue:
    """Bounce records and their indexes (path -> record, id -> record)."""

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

    def unfinished(self) -> list[Record]:
        """Audio records not yet hashed or measured (a run ended before its analysis did)."""
        with self._lock:
            return [
                record
                for record in self.records()
                if record.get("status") in (OK, DUPLICATE)
                and not (record.get("hash") and record.get("analysed"))
            ]

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

    def _forget(self, record: Record) -> None:
        """Drop a record from the indexes (callers hold the lock)."""
        self._by_id.pop(record["id"], None)
        if self._by_path.get(record["path"], {}).get("id") == record["id"]:
            del self._by_path[record["path"]]

    # ------------------------------------------------------------------ registering
    def register(
        self,
        paths: Iterable[Path],
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
                st = _lstat(path)
                if st is None:
                    if known is not None and known.get("status") != MISSING:
                        updates[known["id"]] = {"status": MISSING, "missing_since": now}
                    continue
                inode = (st.st_dev, st.st_ino)
                if inode in seen_inodes or not stat.S_ISREG(st.st_mode):
                    continue  # a second name, a link, a folder, a pipe
                seen_inodes.add(inode)
                if _unchanged(known, st):
                    continue
                if on_fresh is not None and now - st.st_mtime < fresh_s:
                    on_fresh(path)
                    continue
                fields = {**_header_fields(path, st), "path": key}
                if known is None:
                    inserts.append({**fields, **self._context(), "hash": None})
                else:
                    updates[known["id"]] = {**fields, **_content_changed(known)}
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
                if known is not None and known.get("status") != MISSING and _lstat(path) is None:
                    gone[known["id"]] = {"status": MISSING, "missing_since": now}
            return self._update(gone)

    def mark_vanished(self, folders: Iterable[Path], present: Iterable[Path]) -> list[Record]:
        """Mark records under `folders` whose file is not among `present` as missing."""
        roots = [_prefix(self.location(folder)) for folder in folders]
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
            return {"status": UNREADABLE, "reason": _failure(error), "analysed": True}
        return {
            "peak_dbfs": levels.peak_dbfs,
            "rms_dbfs": levels.rms_dbfs,
            "lufs": levels.lufs,
            "analysed": True,
        }

    def _holds(self, record: Mapping[str, Any]) -> bool:
        """True when the record's file is still there as it was registered."""
        st = _lstat(self.resolve(record))
        return _unchanged(record, st) if st is not None else False

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
                    changes[other["id"]] = _moved_fields(record, other, fields)
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
            if _lstat(self.resolve(record)) is not None:
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


def _lstat(path: Path) -> os.stat_result | None:
    """The file's own status (links not followed); None when it is gone or unreachable."""
    try:
        return os.lstat(path)
    except OSError:
        return None


def _unchanged(record: Mapping[str, Any] | None, st: os.stat_result) -> bool:
    """True when a present record's size and mtime still match the file."""
    return (
        record is not None
        and record.get("status") != MISSING
        and record.get("size") == st.st_size
        and record.get("mtime_ns") == st.st_mtime_ns
    )


def _content_changed(known: Mapping[str, Any]) -> dict[str, Any]:
    """Fields of a known record whose file changed: the old hash is kept aside, so a file
    touched, or back as it was, is recognised and not logged again."""
    return {"hash": None, "previous_hash": known.get("hash") or known.get("previous_hash")}


def _moved_fields(current: Record, original: Record, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields `original` takes over from the file it moved to."""
    moved = {key: current.get(key) for key in MOVED_FIELDS}
    keep = {key: value for key, value in fields.items() if key != "status"}
    return {
        **keep,
        **moved,
        "status": OK if original.get("status") == MISSING else original.get("status"),
        "missing_since": None,
        "hash": original["hash"],
    }


def _failure(error: Exception) -> str:
    """The reason recorded when reading a file failed unexpectedly (the log has the rest)."""
    return f"reading failed unexpectedly ({type(error).__name__}: {error}); see the log"


def _prefix(location: str) -> str:
    """The prefix of every stored path under a folder stored as `location`."""
    return "" if location == "." else location.rstrip("/") + "/"


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
    except Exception as error:  # a library's surprise: this file only, the batch goes on
        log.exception("reading the header of %s failed", path)
        return {**fields, "status": UNREADABLE, "reason": _failure(error)}
    status = EMPTY if header.frames == 0 else INCOMPLETE if header.problem else OK
    return {
        **fields,
        "status": status,
        "reason": header.problem,
        "problem": header.problem,
        "format": header.format,
        "subtype": header.subtype,
        "sample_rate_hz": header.sample_rate_hz,
        "channels": header.channels,
        "frames": header.frames,
        "duration_s": header.duration_s,
    }
