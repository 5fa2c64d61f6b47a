"""The background analysis of bounces: hash and levels, off every other thread.

Live bounces jump the queue ahead of a catch-up backlog (records are taken one at a time,
so one arriving mid-backlog is next); a record already waiting is not queued twice.
Results are stored in batches, in one Store write each (the library file is rewritten whole
on every write, so per-file writes would cost more than the analysis): as soon as nothing
waits, and once a second while a backlog is worked through. Each batch is reported by
callback.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from phase_tui.loop.catalogue import BounceCatalogue, Identified

log = logging.getLogger(__name__)

URGENT, BACKLOG, STOP = 0, 1, -1
FLUSH_EVERY_S = 1.0  # while a backlog is analysed, results are stored at least this often
JOIN_TIMEOUT_S = 10.0


class AnalysisQueue:
    """A thread that hashes and measures queued bounce records, batch by batch."""

    def __init__(
        self, catalogue: BounceCatalogue, on_batch: Callable[[list[Identified]], None]
    ) -> None:
        self._catalogue = catalogue
        self._on_batch = on_batch
        self._queue: queue.PriorityQueue[tuple[int, int, str | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._waiting: dict[str, int] = {}  # record id -> its priority in the queue
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None

    def put(self, record_ids: Iterable[str], urgent: bool = False) -> None:
        """Queue records for hashing and levels (urgent ones first)."""
        priority = URGENT if urgent else BACKLOG
        with self._lock:
            for record_id in record_ids:
                if self._waiting.get(record_id, BACKLOG + 1) <= priority:
                    continue  # already waiting, as early or earlier
                self._waiting[record_id] = priority
                self._idle.clear()
                self._queue.put((priority, next(self._order), record_id))

    def pending(self) -> int:
        """How many records wait for analysis."""
        with self._lock:
            return len(self._waiting)

    def wait_idle(self, timeout_s: float | None = None) -> bool:
        """Block until the queue is empty and the last batch is stored (tests, the CLI)."""
        return self._idle.wait(timeout_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="bounce-analysis", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put((STOP, -1, None))
            self._thread.join(JOIN_TIMEOUT_S)
            self._thread = None

    def _run(self) -> None:
        """Analyse records as they come; store results in as few writes as keep them fresh."""
        results = _Results()
        while True:
            item = self._queue.get()  # nothing is left unstored while this waits
            if item[2] is None:
                self._store(results)
                return
            if self._take(item):
                try:
                    self._analyse(item[2], results)
                except Exception:
                    log.exception("bounce analysis failed for %s", item[2])
            if results.due() or not self.pending():
                self._store(results)

    def _take(self, item: tuple[int, int, str | None]) -> bool:
        """Claim a queued record; False for a stale copy (re-queued as urgent meanwhile)."""
        priority, _, record_id = item
        with self._lock:
            if record_id is None or self._waiting.get(record_id) != priority:
                return False
            del self._waiting[record_id]
            return True

    def _analyse(self, record_id: str, results: _Results) -> None:
        record = self._catalogue.get(record_id)
        if record is None:
            return
        if not record.get("analysed"):
            results.analyses[record_id] = levels = self._catalogue.analyse(record)
            if levels is None:  # vanished or changed while read: say what became of it
                results.hashes[record_id] = None
        if not record.get("hash"):
            results.hashes.setdefault(record_id, self._catalogue.hash_file(record))
        results.touched()

    def _store(self, results: _Results) -> None:
        """Write the results gathered so far (one Store write) and report them."""
        if results.hashes or results.analyses:
            try:
                self._on_batch(self._catalogue.classify(results.hashes, results.analyses))
            except Exception:
                log.exception("storing %d bounce analyses failed", len(results.analyses))
        results.clear()
        with self._lock:
            if not self._waiting:
                self._idle.set()


class _Results:
    """Hashes and levels not yet stored, and since when."""

    def __init__(self) -> None:
        self.hashes: dict[str, str | None] = {}
        self.analyses: dict[str, dict[str, Any] | None] = {}
        self._first = 0.0

    def touched(self) -> None:
        """A result was added now."""
        self._first = self._first or time.monotonic()

    def due(self) -> bool:
        """True once the oldest unstored result waited FLUSH_EVERY_S."""
        return bool(self._first) and time.monotonic() - self._first >= FLUSH_EVERY_S

    def clear(self) -> None:
        self.hashes, self.analyses = {}, {}
        self._first = 0.0
