"""The background analysis of bounces: hash and levels, off every other thread.

Live bounces jump the queue ahead of a catch-up backlog. Results are written in batches
(one Store write per batch, not per file), and each batch is reported by callback.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable

from phase_tui.loop.catalogue import BounceCatalogue, Identified

log = logging.getLogger(__name__)

URGENT, BACKLOG = 0, 1
BATCH_SIZE = 32
BATCH_WINDOW_S = 0.5


class AnalysisQueue:
    """A thread that hashes and measures queued bounce records, batch by batch."""

    def __init__(
        self, catalogue: BounceCatalogue, on_batch: Callable[[list[Identified]], None]
    ) -> None:
        self._catalogue = catalogue
        self._on_batch = on_batch
        self._queue: queue.PriorityQueue[tuple[int, int, str | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def put(self, record_ids: Iterable[str], urgent: bool = False) -> None:
        """Queue records for hashing and levels."""
        for record_id in record_ids:
            self._idle.clear()
            self._queue.put((URGENT if urgent else BACKLOG, next(self._order), record_id))

    def pending(self) -> int:
        return self._queue.qsize()

    def wait_idle(self, timeout_s: float | None = None) -> bool:
        """Block until the queue is empty and the last batch is stored (tests, the CLI)."""
        return self._idle.wait(timeout_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="bounce-analysis", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put((-1, -1, None))
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                self._process(batch)
            except Exception:
                log.exception("bounce analysis failed for %d records", len(batch))
            if self._queue.empty():
                self._idle.set()

    def _next_batch(self) -> list[str] | None:
        first = self._queue.get()
        if first[2] is None:
            return None
        batch = [first[2]]
        deadline = time.monotonic() + BATCH_WINDOW_S
        while len(batch) < BATCH_SIZE and time.monotonic() < deadline:
            try:
                item = self._queue.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                break
            if item[2] is None:
                self._queue.put(item)  # stop after this batch
                break
            batch.append(item[2])
        return batch

    def _process(self, record_ids: list[str]) -> None:
        hashes: dict[str, str | None] = {}
        analyses = {}
        for record_id in dict.fromkeys(record_ids):
            record = self._catalogue.get(record_id)
            if record is None:
                continue
            if not record.get("hash"):
                hashes[record_id] = self._catalogue.hash_file(record)
            if not record.get("analysed"):
                analyses[record_id] = self._catalogue.analyse(record)
        if hashes or analyses:
            self._on_batch(self._catalogue.classify(hashes, analyses))
