"""The settle tracker: a file is reported once it has stopped changing for a while.

A `created` event comes before any data and `closed` misses most arrivals, so the watcher
only says "something happened to this path" (`touch`) and this tracker decides when the
file is complete: when its size, mtime and inode have stayed the same for `settle_s`. A
touch that comes from a close-after-write (`closed=True`) shortens that to a grace of
`closed_grace_s` (0.2 s, at most a quarter of `settle_s`) as long as the file stays as it was
just after the close: a DAW's export is logged within a fraction of a second, while files
that arrive without a close (renamed, moved in, polled) wait the full settle time.

A touched path is stat'ed `check_interval_s` after each touch (so a burst of events costs
one stat per interval) and again when its settle time is up; that last stat also catches
changes that came without an event. A path whose signature did not change since it was
last reported is not reported again (late events after a report, our own reads). Paths
due within half a check interval of each other are checked together (and may settle that
much early: the first stat came that much late), so files that arrive together are reported
in one batch and the consumer writes them in one go; a touched path found gone is reported
to `on_gone`, if given.
"""

from __future__ import annotations

import heapq
import logging
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

Signature = tuple[int, int, int]  # size, mtime_ns, inode
OnPaths = Callable[[list[Path]], None]
REMEMBERED_REPORTS = 10_000  # signatures kept to skip a second report of an unchanged file
CLOSED_GRACE_S = 0.2
JOIN_TIMEOUT_S = 5.0


@dataclass
class _Pending:
    signature: Signature | None = None  # None: not stat'ed since the last touch
    stable_since: float = 0.0
    next_check: float = 0.0  # inf while a stat is in flight
    touched: bool = True  # an event came since the last stat
    closed: bool = False  # a close-after-write came since the last stat
    closed_as: Signature | None = None  # the file as the first stat after a close found it


class SettleTracker:
    """Reports files once their size and mtime have not changed for `settle_s` (a thread;
    wakes only when something is pending — no busy polling when idle)."""

    def __init__(
        self,
        settle_s: float,
        on_ready: OnPaths,
        *,
        on_gone: OnPaths | None = None,
        clock: Callable[[], float] = time.monotonic,
        check_interval_s: float = 0.1,
    ) -> None:
        self.settle_s = settle_s
        self.closed_grace_s = min(CLOSED_GRACE_S, settle_s / 4)
        self.check_interval_s = min(check_interval_s, settle_s)
        self._coalesce_s = self.check_interval_s / 2
        self._on_ready = on_ready
        self._on_gone = on_gone
        self._clock = clock
        self._pending: dict[Path, _Pending] = {}
        self._due: list[tuple[float, str, Path]] = []  # heap; stale items are skipped
        self._reported: dict[Path, Signature] = {}  # oldest first
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def touch(self, path: Path, closed: bool = False) -> None:
        """(Re)start the settle clock for `path`; `closed` when a close-after-write caused
        it. Thread-safe, cheap, never blocks on I/O."""
        with self._wake:
            entry = self._pending.get(path)
            if entry is None:
                entry = self._pending[path] = _Pending(next_check=float("inf"))
            entry.touched = True
            entry.closed = entry.closed or closed
            soon = self._clock() + self.check_interval_s
            if entry.next_check > soon:
                self._schedule(path, entry, soon)
                self._wake.notify()

    def pending(self) -> int:
        """How many paths are waiting to settle."""
        with self._wake:
            return len(self._pending)

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="settle-tracker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop and join the thread; pending paths are forgotten."""
        with self._wake:
            self._stopping = True
            self._pending.clear()
            self._due.clear()
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(JOIN_TIMEOUT_S)
            self._thread = None

    # ------------------------------------------------------------------ the thread
    def _run(self) -> None:
        while (due := self._take_due()) is not None:
            checked = [(path, _signature(path), self._clock()) for path in due]
            ready, gone = self._apply(checked)
            self._hand_over(self._on_ready, ready)
            self._hand_over(self._on_gone, gone)

    @staticmethod
    def _hand_over(callback: OnPaths | None, paths: list[Path]) -> None:
        if callback is None or not paths:
            return
        try:
            callback(paths)
        except Exception:  # the tracker must outlive any failure downstream
            log.exception("handling %d settled paths failed (first: %s)", len(paths), paths[0])

    def _take_due(self) -> list[Path] | None:
        """Wait until some paths are due (forever when none is pending); None when stopping."""
        with self._wake:
            while not self._stopping:
                while self._due and self._is_stale(self._due[0]):
                    heapq.heappop(self._due)
                if not self._due:
                    self._wake.wait()
                    continue
                wait_s = self._due[0][0] - self._clock()
                if wait_s > 0:
                    self._wake.wait(wait_s)
                    continue
                horizon = self._clock() + self._coalesce_s
                due: list[Path] = []
                while self._due and self._due[0][0] <= horizon:
                    when, _, path = heapq.heappop(self._due)
                    entry = self._pending.get(path)
                    if entry is not None and entry.next_check == when:
                        entry.next_check = float("inf")  # in flight: a touch re-schedules it
                        entry.signature = None if entry.touched else entry.signature
                        entry.touched = False
                        due.append(path)
                return due
            return None

    def _apply(
        self, checked: list[tuple[Path, Signature | None, float]]
    ) -> tuple[list[Path], list[Path]]:
        """Record what the stats found; returns the paths that are ready and those gone."""
        ready: list[Path] = []
        gone: list[Path] = []
        with self._wake:
            for path, signature, now in checked:
                entry = self._pending.get(path)
                if entry is None or entry.touched:
                    continue  # stopped, or touched during the stat: already re-scheduled
                if signature is None:
                    del self._pending[path]  # vanished, or not a file
                    self._reported.pop(path, None)  # if it comes back, it is news
                    gone.append(path)
                    continue
                if entry.closed:
                    entry.closed, entry.closed_as = False, signature
                wait_s = self.closed_grace_s if signature == entry.closed_as else self.settle_s
                if signature != entry.signature:
                    entry.signature, entry.stable_since = signature, now
                    self._schedule(path, entry, now + self.check_interval_s)
                elif now + self._coalesce_s - entry.stable_since < wait_s:
                    self._schedule(path, entry, entry.stable_since + wait_s)
                else:
                    del self._pending[path]
                    if self._remember(path, signature):
                        ready.append(path)
        return ready, gone

    def _schedule(self, path: Path, entry: _Pending, when: float) -> None:
        entry.next_check = when
        heapq.heappush(self._due, (when, str(path), path))

    def _is_stale(self, item: tuple[float, str, Path]) -> bool:
        entry = self._pending.get(item[2])
        return entry is None or entry.next_check != item[0]

    def _remember(self, path: Path, signature: Signature) -> bool:
        """Note a report; False when this very file was already reported as it is."""
        if self._reported.pop(path, None) == signature:
            self._reported[path] = signature
            return False
        self._reported[path] = signature
        if len(self._reported) > REMEMBERED_REPORTS:
            del self._reported[next(iter(self._reported))]
        return True


def _signature(path: Path) -> Signature | None:
    """Size, mtime and inode of a regular file; None when it is gone or not a file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("cannot stat %s (%s): not watching it settle", path, error)
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino
