"""The background analysis of bounces: hash and levels, off every other thread.

Two worker threads (one on a single core) take records one at a time: live bounces jump
the queue ahead of a catch-up backlog, so one arriving mid-backlog is next, and a record
already waiting is not queued twice. On two cores, two workers analyse a backlog of short
bounces 1.4 times as fast as one (decoding and measuring release the GIL); on Linux they
run at a lower priority (nice +10), so the DAW and the app's own screen come first.
Results are stored in batches, in one Store write each (the library file is rewritten whole
on every write, so per-file writes would cost more than the analysis): as soon as no record
waits or is being analysed, and once a second while a backlog is worked through. Each batch
is reported by callback.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from phase_tui.loop.catalogue import BounceCatalogue, Identified

log = logging.getLogger(__name__)

URGENT, BACKLOG, STOP = 0, 1, -1
WORKERS = min(2, os.cpu_count() or 1)
WORKER_NICENESS = 10
FLUSH_EVERY_S = 2.0  # while a backlog is analysed, results are stored at least this often
JOIN_TIMEOUT_S = 10.0


class AnalysisQueue:
    """Worker threads that hash and measure queued bounce records, batch by batch."""

    def __init__(
        self,
        catalogue: BounceCatalogue,
        on_batch: Callable[[list[Identified]], None],
        workers: int = WORKERS,
    ) -> None:
        self._catalogue = catalogue
        self._on_batch = on_batch
        self._workers = workers
        self._queue: queue.PriorityQueue[tuple[int, int, str | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._lock = threading.Lock()  # guards the fields below
        self._waiting: dict[str, int] = {}  # record id -> its priority in the queue
        self._busy = 0  # records being analysed
        self._results = _Results()
        self._idle = threading.Event()
        self._idle.set()
        self._store_lock = threading.Lock()  # one batch written at a time
        self._threads: list[threading.Thread] = []

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
        self._threads = [
            threading.Thread(target=self._run, name=f"bounce-analysis-{n}", daemon=True)
            for n in range(self._workers)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop the workers once their current record is done; store what they found."""
        for _ in self._threads:
            self._queue.put((STOP, -1, None))
        for thread in self._threads:
            thread.join(JOIN_TIMEOUT_S)
        self._threads = []
        self._store()

    def _run(self) -> None:
        """A worker: analyse records as they come; store results when nothing is left to do
        or they have waited long enough."""
        if sys.platform == "linux":  # a thread's own priority (elsewhere it is the process's)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)
        while True:
            item = self._queue.get()
            if item[2] is None:
                return
            if not self._take(item):
                continue
            hashes: dict[str, str | None] = {}
            analyses: dict[str, dict[str, Any] | None] = {}
            try:
                self._analyse(item[2], hashes, analyses)
            except Exception:
                log.exception("bounce analysis failed for %s", item[2])
            with self._lock:
                self._busy -= 1
                self._results.add(hashes, analyses)
                store = self._results.due() or not (self._waiting or self._busy)
            if store:
                self._store()

    def _take(self, item: tuple[int, int, str | None]) -> bool:
        """Claim a queued record; False for a stale copy (re-queued as urgent meanwhile)."""
        priority, _, record_id = item
        with self._lock:
            if record_id is None or self._waiting.get(record_id) != priority:
                return False
            del self._waiting[record_id]
            self._busy += 1
            return True

    def _analyse(
        self,
        record_id: str,
        hashes: dict[str, str | None],
        analyses: dict[str, dict[str, Any] | None],
    ) -> None:
        """Put what the record still lacks, its levels and its hash, into the two dicts."""
        record = self._catalogue.get(record_id)
        if record is None:
            return
        if not record.get("analysed"):
            analyses[record_id] = levels = self._catalogue.analyse(record)
            if levels is None:  # vanished or changed while read: say what became of it
                hashes[record_id] = None
        if not record.get("hash"):
            hashes.setdefault(record_id, self._catalogue.hash_file(record))

    def _store(self) -> None:
        """Write the results gathered so far (one Store write) and report them."""
        with self._store_lock:
            with self._lock:
                hashes, analyses = self._results.take()
            if hashes or analyses:
                try:
                    self._on_batch(self._catalogue.classify(hashes, analyses))
                except Exception:
                    log.exception("storing %d bounce analyses failed", len(analyses))
            with self._lock:
                if not (self._waiting or self._busy or self._results):
                    self._idle.set()


class _Results:
    """Hashes and levels not yet stored, and since when."""

    def __init__(self) -> None:
        self._hashes: dict[str, str | None] = {}
        self._analyses: dict[str, dict[str, Any] | None] = {}
        self._first = 0.0

    def __bool__(self) -> bool:
        return bool(self._hashes or self._analyses)

    def add(
        self, hashes: dict[str, str | None], analyses: dict[str, dict[str, Any] | None]
    ) -> None:
        """Keep one record's results until they are taken."""
        self._hashes.update(hashes)
        self._analyses.update(analyses)
        self._first = self._first or time.monotonic()

    def due(self) -> bool:
        """True once the oldest unstored result waited FLUSH_EVERY_S."""
        return bool(self._first) and time.monotonic() - self._first >= FLUSH_EVERY_S

    def take(self) -> tuple[dict[str, str | None], dict[str, dict[str, Any] | None]]:
        """The results kept so far, which are kept no longer."""
        taken = self._hashes, self._analyses
        self._hashes, self._analyses, self._first = {}, {}, 0.0
        return taken
