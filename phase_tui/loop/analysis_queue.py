"""The background analysis of bounces: hash and levels, off every other thread.

Live bounces jump the queue ahead of a catch-up backlog; a record already waiting is not
queued twice. Results are written in batches (one Store write per batch, not per file),
and each batch is reported by callback.
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
BATCH_SIZE = 32
BATCH_WINDOW_S = 0.25
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
        while (batch := self._next_batch()) is not None:
            try:
                self._process(batch)
            except Exception:
                log.exception("bounce analysis failed for %d records", len(batch))
            with self._lock:
                if not self._waiting:
                    self._idle.set()

    def _next_batch(self) -> list[str] | None:
        """Up to BATCH_SIZE records, gathered for at most BATCH_WINDOW_S; None to stop."""
        batch: list[str] = []
        deadline = float("inf")
        while len(batch) < BATCH_SIZE:
            wait_s = None if not batch else max(deadline - time.monotonic(), 0.0)
            try:
                item = self._queue.get(timeout=wait_s)
            except queue.Empty:
                break
            if item[2] is None:
                if batch:
                    self._queue.put(item)  # stop after this batch
                    break
                return None
            if self._take(item):
                batch.append(item[2])
                deadline = min(deadline, time.monotonic() + BATCH_WINDOW_S)
        return batch

    def _take(self, item: tuple[int, int, str | None]) -> bool:
        """Claim a queued record; False for a stale copy (re-queued as urgent meanwhile)."""
        priority, _, record_id = item
        with self._lock:
            if record_id is None or self._waiting.get(record_id) != priority:
                return False
            del self._waiting[record_id]
            return True

    def _process(self, record_ids: list[str]) -> None:
        hashes: dict[str, str | None] = {}
        analyses: dict[str, dict[str, Any] | None] = {}
        for record_id in record_ids:
            record = self._catalogue.get(record_id)
            if record is None:
                continue
            if not record.get("hash"):
                hashes[record_id] = self._catalogue.hash_file(record)
            if not record.get("analysed"):
                analyses[record_id] = levels = self._catalogue.analyse(record)
                if levels is None:  # vanished or changed while read: say what became of it
                    hashes[record_id] = None
        if hashes or analyses:
            self._on_batch(self._catalogue.classify(hashes, analyses))
