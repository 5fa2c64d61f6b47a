"""The Store: the one way to the TinyDB files of a studio.

- Records are dicts with a unique string `id` (ULID), `created_at`, `updated_at` (epoch
  seconds) and the `machine` that wrote them; each kind of record is a TinyDB table.
- Hot, small kinds (events, sessions, bounces, memos, ...) live in this machine's journal
  `.phase_os/journal-<machine>.json`; large kinds (the sample library) in
  `.phase_os/library-<machine>.json`, so a small change never rewrites 100k sample rows.
- A machine writes only its own files; reads merge every machine's files, newest
  `updated_at` winning, so a studio synced between machines never has two writers on one
  file. An update of another machine's record writes a newer copy into our own journal;
  a delete writes a tombstone.
- One `threading.RLock` for threads, an exclusive `flock` on `.phase_os/lock` around every
  read-modify-write for processes, atomic replacement of the file (temp, fsync, rename).
- Parsed files stay in memory and are re-parsed only when their inode, size or mtime changed.
- A corrupt file of ours is moved aside (`*.corrupt-<time>`) with a message naming it, and
  a fresh file is started; another machine's corrupt file is reported and skipped.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document, Table

from phase_tui.atomic import atomic_write_text
from phase_tui.ids import new_id

log = logging.getLogger(__name__)

LIBRARY_KINDS = frozenset({"samples"})
"""Kinds stored in the large library file instead of the hot journal."""

Record = dict[str, Any]
Stamp = tuple[int, int, int]


class StoreError(Exception):
    """A Store operation failed; the message says which file and why."""


class RecordTable(Table):
    """A TinyDB table keyed by our string ids instead of TinyDB's integers."""

    document_id_class = str


TinyDB.table_class = RecordTable


def to_json_value(value: Any) -> Any:
    """Convert a value to plain JSON types at the Store boundary (numpy, Path, set, tuple)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Mapping):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(to_json_value(item) for item in value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return to_json_value(item())
    raise TypeError(f"cannot store a value of type {type(value).__name__}: {value!r}")


class CachedAtomicStorage(Storage):
    """TinyDB storage: atomic writes, and a parsed copy reused while the file is unchanged."""

    def __init__(self, path: str, report: Callable[[str], None], owned: bool = True) -> None:
        self.path = Path(path)
        self._report = report
        self._owned = owned
        self._data: dict[str, dict[str, Any]] | None = None
        self._stamp: Stamp | None = None

    def stamp(self) -> Stamp | None:
        """(inode, size, mtime_ns) of the file, or None when it does not exist."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def is_stale(self) -> bool:
        """True when the file on disk differs from the parsed copy in memory."""
        return self._data is None or self.stamp() != self._stamp

    def read(self) -> dict[str, dict[str, Any]] | None:
        stamp = self.stamp()
        if stamp is None:
            self._data, self._stamp = None, None
            return None
        if stamp == self._stamp and self._data is not None:
            return self._data
        try:
            text = self.path.read_text(encoding="utf-8")
            data = json.loads(text) if text.strip() else {}
            if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
                raise ValueError("the top level is not an object of tables")
        except (ValueError, UnicodeDecodeError) as error:
            return self._corrupt(error)
        self._data, self._stamp = data, stamp
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if not self._owned:
            raise StoreError(f"{self.path} belongs to another machine and is never written here")
        try:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            atomic_write_text(self.path, text)
        except BaseException:
            # TinyDB mutated the cached dict before calling us: drop it, re-read next time.
            self._data, self._stamp = None, None
            raise
        self._data, self._stamp = data, self.stamp()

    def close(self) -> None:
        self._data, self._stamp = None, None

    def _corrupt(self, error: Exception) -> dict[str, dict[str, Any]] | None:
        if not self._owned:
            self._report(f"Store file {self.path} is unreadable ({error}); skipped, not changed.")
            self._data, self._stamp = {}, self.stamp()
            return self._data
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(self.path, aside)
        self._report(
            f"Store file {self.path} was unreadable ({error}); kept as {aside.name}, "
            "a fresh file was started."
        )
        self._data, self._stamp = None, None
        return None


@dataclass
class _StoreFile:
    """One TinyDB file and its storage."""

    db: TinyDB
    storage: Storage
    tables: dict[str, Table] = field(default_factory=dict)

    def table(self, kind: str) -> Table:
        if kind not in self.tables:
            self.tables[kind] = self.db.table(kind)
        return self.tables[kind]

    def refresh(self) -> None:
        """Forget TinyDB's query caches when the file changed under us."""
        if isinstance(self.storage, CachedAtomicStorage) and self.storage.is_stale():
            for table in self.tables.values():
                table.clear_cache()


class Store:
    """Thread- and process-safe access to a studio's records. See the module docstring."""

    def __init__(
        self,
        internal_dir: Path | None,
        machine: str,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        """Open the Store in `internal_dir` (`.phase_os/`), or in memory when it is None."""
        self.internal_dir = internal_dir
        self.machine = machine
        self.problems: list[str] = []
        self._on_problem = on_problem
        self._lock = threading.RLock()
        self._flock_depth = 0
        self._lock_fd: int | None = None
        self._files: dict[str, _StoreFile] = {}
        self._merged: dict[str, tuple[tuple[Any, ...], dict[str, Record]]] = {}
        self._writes = 0
        if internal_dir is not None:
            internal_dir.mkdir(parents=True, exist_ok=True)

    # ----------------------------------------------------------------- writing
    def insert(self, kind: str, record: Mapping[str, Any]) -> Record:
        """Store a new record; returns it with `id`, `created_at`, `updated_at`, `machine`."""
        return self.insert_many(kind, [record])[0]

    def insert_many(self, kind: str, records: Iterable[Mapping[str, Any]]) -> list[Record]:
        """Store many new records in one write of the file."""
        now = time.time()
        made = [self._stamped(record, now) for record in records]
        if not made:
            return []
        with self._writing(kind) as table:
            table.insert_multiple(Document(rec, doc_id=rec["id"]) for rec in made)
        return made

    def update(self, kind: str, record_id: str, changes: Mapping[str, Any]) -> Record:
        """Change fields of a record (of any machine); raises KeyError if it does not exist."""
        return self.update_many(kind, {record_id: changes})[0]

    def update_many(self, kind: str, changes: Mapping[str, Mapping[str, Any]]) -> list[Record]:
        """Change several records in one write of the file."""
        now = time.time()
        with self._writing(kind) as table:
            current = self._merged_view(kind)
            written = []
            for record_id, fields in changes.items():
                if record_id not in current:
                    raise KeyError(f"no {kind} record with id {record_id}")
                record = {**current[record_id], **to_json_value(dict(fields))}
                record.update(id=record_id, updated_at=now, machine=self.machine)
                written.append(record)
            self._upsert(table, written)
        return written

    def modify(
        self,
        kind: str,
        record_id: str,
        change: Callable[[Record], Mapping[str, Any]],
        create: bool = False,
    ) -> Record:
        """Change a record from its value as stored now: `change(record)` runs inside the
        lock (threads and processes) and returns the fields to set, so two writers adding
        to one list never lose each other's edit. A record that does not exist is KeyError,
        or with `create`, made from `{"id": record_id}`."""
        now = time.time()
        with self._writing(kind) as table:
            current = self._merged_view(kind).get(record_id)
            if current is None and not create:
                raise KeyError(f"no {kind} record with id {record_id}")
            current = current or {"id": record_id, "created_at": now}
            record = {**current, **to_json_value(dict(change(dict(current))))}
            record.update(id=record_id, updated_at=now, machine=self.machine)
            self._upsert(table, [record])
        return record

    def modify_all(
        self, kind: str, change: Callable[[Record], Mapping[str, Any] | None]
    ) -> list[Record]:
        """`modify` for every record of a kind at once (one write): `change(record)` returns
        the fields to set, or None to leave the record alone. The records changed."""
        now = time.time()
        with self._writing(kind) as table:
            written = []
            for record_id, current in self._merged_view(kind).items():
                fields = change(dict(current))
                if fields is not None:
                    record = {**current, **to_json_value(dict(fields))}
                    record.update(id=record_id, updated_at=now, machine=self.machine)
                    written.append(record)
            if written:
                self._upsert(table, written)
        return written

    def delete(self, kind: str, record_id: str) -> None:
        """Remove a record everywhere (a tombstone in our journal hides other copies)."""
        with self._writing(kind) as table:
            tomb = {
                "id": record_id,
                "deleted": True,
                "updated_at": time.time(),
                "machine": self.machine,
            }
            self._upsert(table, [tomb])

    # ----------------------------------------------------------------- reading
    def get(self, kind: str, record_id: str) -> Record | None:
        """One record by id, or None."""
        with self._lock:
            record = self._merged_view(kind).get(record_id)
            return dict(record) if record else None

    def all(self, kind: str) -> list[Record]:
        """Every live record of a kind, oldest first (ids sort by creation time)."""
        with self._lock:
            view = self._merged_view(kind)
            return [dict(view[key]) for key in sorted(view)]

    def find(self, kind: str, predicate: Callable[[Record], bool]) -> list[Record]:
        """Records of a kind for which `predicate` is true, oldest first."""
        return [record for record in self.all(kind) if predicate(record)]

    def latest(self, kind: str, count: int = 1) -> list[Record]:
        """The `count` newest records of a kind, newest first."""
        with self._lock:
            view = self._merged_view(kind)
            return [dict(view[key]) for key in sorted(view, reverse=True)[:count]]

    def count(self, kind: str) -> int:
        """How many live records of a kind exist."""
        with self._lock:
            return len(self._merged_view(kind))

    def revision(self, kind: str) -> tuple[Any, ...]:
        """A key that changes whenever a record of `kind` may have changed, in any machine's
        file or by this Store: for caches built over records (costs a `stat` per file)."""
        with self._lock:
            files = self._files_for(kind)
            stamps = tuple(
                f.storage.stamp() if isinstance(f.storage, CachedAtomicStorage) else None
                for f in files
            )
            return (self._writes, *stamps)

    def close(self) -> None:
        """Close every file and the process lock."""
        with self._lock:
            for store_file in self._files.values():
                store_file.db.close()
            self._files.clear()
            self._merged.clear()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    # ----------------------------------------------------------------- internals
    def _stamped(self, record: Mapping[str, Any], now: float) -> Record:
        made = to_json_value(dict(record))
        made.setdefault("id", new_id(now))
        made.setdefault("created_at", now)
        made["updated_at"] = now
        made["machine"] = self.machine
        return made

    @staticmethod
    def _upsert(table: Table, records: list[Record]) -> None:
        def replace(docs: dict[str, Any]) -> None:
            for record in records:
                docs[record["id"]] = record

        table._update_table(replace)  # one read-modify-write for the whole batch

    @contextmanager
    def _writing(self, kind: str) -> Iterator[Table]:
        with self._lock, self._process_lock():
            own = self._own_file(kind)
            own.refresh()
            try:
                yield own.table(kind)
            except OSError as error:
                raise StoreError(f"cannot write {self._file_name(kind)}: {error}") from error
            finally:
                self._merged.pop(kind, None)
                self._writes += 1

    @contextmanager
    def _process_lock(self) -> Iterator[None]:
        if self.internal_dir is None:
            yield
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(self.internal_dir / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        if self._flock_depth == 0:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._flock_depth += 1
        try:
            yield
        finally:
            self._flock_depth -= 1
            if self._flock_depth == 0:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _file_name(self, kind: str, machine: str | None = None) -> str:
        group = "library" if kind in LIBRARY_KINDS else "journal"
        return f"{group}-{machine or self.machine}.json"

    def _own_file(self, kind: str) -> _StoreFile:
        return self._open_file(self._file_name(kind), owned=True)

    def _open_file(self, name: str, owned: bool) -> _StoreFile:
        if name not in self._files:
            if self.internal_dir is None:
                db = TinyDB(storage=MemoryStorage)
            else:
                path = str(self.internal_dir / name)
                db = TinyDB(path, storage=CachedAtomicStorage, report=self._report, owned=owned)
            self._files[name] = _StoreFile(db=db, storage=db.storage)
        return self._files[name]

    def _files_for(self, kind: str) -> list[_StoreFile]:
        own_name = self._file_name(kind)
        files = [self._own_file(kind)]
        if self.internal_dir is not None:
            group = own_name.split("-", 1)[0]
            for path in sorted(self.internal_dir.glob(f"{group}-*.json")):
                if path.name != own_name:
                    files.append(self._open_file(path.name, owned=False))
        return files

    def _merged_view(self, kind: str) -> dict[str, Record]:
        files = self._files_for(kind)
        for store_file in files:
            store_file.refresh()
        key = tuple(
            f.storage.stamp() if isinstance(f.storage, CachedAtomicStorage) else None for f in files
        )
        cached = self._merged.get(kind)
        if cached is not None and cached[0] == key:
            return cached[1]
        merged: dict[str, Record] = {}
        for store_file in files:
            for doc_id, record in store_file.table(kind)._read_table().items():
                known = merged.get(doc_id)
                if known is None or _newer(record, known):
                    merged[doc_id] = record
        view = {doc_id: rec for doc_id, rec in merged.items() if not rec.get("deleted")}
        self._merged[kind] = (key, view)
        return view

    def _report(self, message: str) -> None:
        log.error(message)
        self.problems.append(message)
        if self._on_problem is not None:
            self._on_problem(message)


def _newer(record: Mapping[str, Any], than: Mapping[str, Any]) -> bool:
    return (record.get("updated_at", 0), record.get("machine", "")) > (
        than.get("updated_at", 0),
        than.get("machine", ""),
    )


def open_store(internal_dir: Path, on_problem: Callable[[str], None] | None = None) -> Store:
    """Open the Store of a studio's `.phase_os/` folder for this machine."""
    from phase_tui.machine import machine_id

    return Store(internal_dir, machine_id(), on_problem=on_problem)
