"""`current_phase.txt`: the phase shared with other tools, written atomically and watched.

Other tools may write it any way they like (`echo builder > current_phase.txt`, an editor's
rename); the watcher reports every change of its content through a callback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from phase_tui.atomic import atomic_write_text

log = logging.getLogger(__name__)

WRITE_EVENTS = frozenset({"created", "modified", "moved", "closed"})


def read_phase_file(path: Path) -> str | None:
    """The first word of the phase file, lower-cased; None when missing or empty."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    words = text.split()
    return words[0].lower() if words else None


def write_phase_file(path: Path, phase: str) -> None:
    """Write the phase atomically, one word and a newline."""
    atomic_write_text(path, phase + "\n")


class PhaseFileWatcher:
    """Calls `on_change(word)` when the phase file's first word changes (watchdog, own thread).

    Falls back to polling when inotify refuses a watch. The callback runs on the watcher's
    thread; every exception in it is logged so the observer never dies.
    """

    def __init__(self, path: Path, on_change: Callable[[str], None]) -> None:
        self.path = path
        self._on_change = on_change
        self._last: str | None = read_phase_file(path)
        self._lock = threading.Lock()
        self._observer = None
        self.polling = False

    def start(self) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class _Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type not in WRITE_EVENTS:
                    return  # our own reads make opened/closed_no_write events: no loop
                names = {
                    Path(str(event.src_path)).name,
                    Path(str(getattr(event, "dest_path", "") or "")).name,
                }
                if watcher.path.name in names:
                    watcher.check()

        try:
            observer = Observer()
            observer.schedule(_Handler(), str(self.path.parent), recursive=False)
            observer.start()
        except OSError as error:
            log.warning("inotify refused a watch on %s (%s); polling instead", self.path, error)
            observer = PollingObserver(timeout=0.2)
            observer.schedule(_Handler(), str(self.path.parent), recursive=False)
            observer.start()
            self.polling = True
        self._observer = observer

    def check(self) -> None:
        """Re-read the file and report a change of content (safe from any thread)."""
        try:
            with self._lock:
                current = read_phase_file(self.path)
                if current is None or current == self._last:
                    return  # empty: a writer truncated the file and has not written yet
                self._last = current
            self._on_change(current)
        except Exception:  # the observer thread must survive anything
            log.exception("phase file watcher failed handling a change of %s", self.path)

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=2)
            self._observer = None
