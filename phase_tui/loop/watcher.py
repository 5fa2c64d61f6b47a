"""The folder watcher: which files in the export folders may have changed, as they change.

One watchdog observer per folder, recursive: inotify, or polling for the folders in
`poll_folders` and whenever the system refuses an inotify watch (limits). Every created,
modified, closed-after-write or moved-in file that passes the ignore rules goes to
`on_candidate` (the caller hands it to a `SettleTracker`); a folder that appears is walked.
A keeper thread stats the roots every `rearm_interval_s`: a folder deleted, replaced or
unmounted is reported `missing` and watched again, and walked, when it is back.
Health changes go to `on_health`. Both callbacks run on watcher threads.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from phase_tui.loop.ignore import IgnoreRules

log = logging.getLogger(__name__)

# Our own reads make `opened` and `closed_no_write` events: reacting to them loops forever.
CANDIDATE_EVENTS = frozenset({"created", "modified", "moved", "closed"})
JOIN_TIMEOUT_S = 5.0
MISSING = "folder not found; watching for it to return"


@dataclass(frozen=True)
class WatchHealth:
    """How one folder is watched: inotify, polling, missing (re-armed when back) or stopped."""

    folder: Path
    mode: str
    detail: str


class FolderWatcher:
    """Watches folders recursively and reports candidate files; see the module docstring."""

    def __init__(
        self,
        folders: Sequence[Path],
        rules: IgnoreRules,
        on_candidate: Callable[[Path], None],
        on_health: Callable[[WatchHealth], None],
        poll_folders: Collection[Path] = (),
        poll_interval_s: float = 1.0,
        rearm_interval_s: float = 2.0,
    ) -> None:
        polled = {Path(folder) for folder in poll_folders}
        self._watches = [_Watch(Path(f), Path(f) in polled) for f in folders]
        self.rules = rules
        self._on_candidate = on_candidate
        self._on_health = on_health
        self._poll_s = poll_interval_s
        self._rearm_s = rearm_interval_s
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._keeper: threading.Thread | None = None

    def start(self) -> None:
        """Watch every folder (the watches are in place on return), then start the keeper."""
        self._stopping.clear()
        for watch in self._watches:
            self._arm(watch, walk=False)
        self._keeper = threading.Thread(target=self._keep, name="watch-keeper", daemon=True)
        self._keeper.start()

    def stop(self) -> None:
        """Stop watching; joins the keeper and every observer thread."""
        self._stopping.set()
        self._wake.set()
        if self._keeper is not None:
            self._keeper.join(JOIN_TIMEOUT_S)
            self._keeper = None
        for watch in self._watches:
            _halt(watch.observer)
            watch.observer = None
            self._set(watch, "stopped", "not watching")

    def health(self) -> list[WatchHealth]:
        with self._lock:
            return [watch.health for watch in self._watches]

    # ------------------------------------------------------------------ events
    def _report(self, path: Path, root: Path) -> None:
        """Hand `path` to `on_candidate` when the rules take it; never raises."""
        if self.rules.is_candidate(path, root):
            try:
                self._on_candidate(path)
            except Exception:
                log.exception("on_candidate failed for %s", path)

    def _report_tree(self, folder: Path, root: Path) -> None:
        """Report every candidate under `folder` (links to folders are not followed)."""
        if folder.is_symlink():  # watchdog's synthetic events list links to folders as folders
            return
        for path in _files(folder):
            self._report(path, root)

    # ------------------------------------------------------------------ arming
    def _arm(self, watch: _Watch, walk: bool) -> None:
        """Start watching `watch.folder` (or note it missing); walk it when `walk`."""
        try:
            identity = _identity(watch.folder)
            mode, detail = self._start_observer(watch)
        except (FileNotFoundError, NotADirectoryError):
            self._set(watch, "missing", MISSING)
            return
        except OSError as error:
            self._set(watch, "missing", f"cannot watch: {error.strerror or error}; retrying")
            return
        watch.identity = identity
        self._set(watch, mode, detail)
        if walk:
            self._report_tree(watch.folder, watch.folder)

    def _start_observer(self, watch: _Watch) -> tuple[str, str]:
        polling = f"polling every {self._poll_s:g} s"
        if watch.forced_polling:
            watch.observer = self._started(self._poller(), watch.folder)
            return "polling", f"{polling} (poll_folders)"
        try:
            watch.observer = self._started(Observer(), watch.folder)
            return "inotify", "watching for changes"
        except OSError as error:  # ENOSPC: watch limit, EMFILE: instance limit
            _identity(watch.folder)  # a folder that vanished meanwhile is missing, not refused
            log.warning("inotify refused %s (%s); polling instead", watch.folder, error)
            watch.observer = self._started(self._poller(), watch.folder)
            return "polling", f"{error.strerror or error}; {polling}"

    def _poller(self) -> BaseObserver:
        """A polling observer that does not follow links (a link loop is not walked 40 deep)."""
        return PollingObserverVFS(os.lstat, os.scandir, polling_interval=self._poll_s)

    def _started(self, observer: BaseObserver, folder: Path) -> BaseObserver:
        try:
            observer.schedule(_Handler(self, folder), str(folder), recursive=True)
            observer.start()
        except BaseException:
            _halt(observer)
            raise
        return observer

    def _set(self, watch: _Watch, mode: str, detail: str) -> None:
        """Record and report a change of health (a folder still missing keeps its detail)."""
        health = WatchHealth(watch.folder, mode, detail)
        with self._lock:
            previous = watch.health
            if (
                previous is not None
                and previous.mode == mode
                and (previous.detail == detail or mode == "missing")
            ):
                return
            watch.health = health
        self._on_health(health)

    # ------------------------------------------------------------------ the keeper
    def _keep(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._rearm_s)
            self._wake.clear()
            for watch in self._watches:
                if self._stopping.is_set():
                    return
                try:
                    self._check(watch)
                except Exception:
                    log.exception("checking the watch on %s failed", watch.folder)

    def _check(self, watch: _Watch) -> None:
        """Re-arm a folder that came back; note one that went away or was replaced."""
        if watch.observer is not None:
            try:
                same = _identity(watch.folder) == watch.identity
            except OSError:
                same = False
            if same and _alive(watch.observer):
                return
            _halt(watch.observer)
            watch.observer = None
            self._set(watch, "missing", "folder deleted, replaced or unmounted")
        self._arm(watch, walk=True)


@dataclass
class _Watch:
    folder: Path
    forced_polling: bool
    observer: BaseObserver | None = None
    identity: tuple[int, int] | None = None  # st_dev, st_ino of the folder when armed
    health: WatchHealth | None = None


class _Handler(FileSystemEventHandler):
    """Turns one root's events into candidates; no exception ever reaches watchdog (#427)."""

    def __init__(self, watcher: FolderWatcher, root: Path) -> None:
        self._watcher = watcher
        self._root = root

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            self._handle(event)
        except Exception:
            log.exception("handling %r failed", event)

    def _handle(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        source = Path(os.fsdecode(event.src_path))
        if event.is_directory and source == self._root and kind in ("deleted", "moved"):
            self._watcher._wake.set()  # check the roots now, not at the next interval
            return
        if kind not in CANDIDATE_EVENTS:
            return
        path = Path(os.fsdecode(event.dest_path)) if kind == "moved" else source
        if not event.is_directory:
            self._watcher._report(path, self._root)
        elif kind in ("created", "moved"):
            self._watcher._report_tree(path, self._root)


def _files(folder: Path) -> Iterator[Path]:
    for top, subfolders, names in os.walk(folder, followlinks=False):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            yield Path(top) / name


def _identity(folder: Path) -> tuple[int, int]:
    """The folder's device and inode; OSError when it is not a folder (any more)."""
    info = os.stat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(f"not a folder: {folder}")
    return info.st_dev, info.st_ino


def _alive(observer: BaseObserver) -> bool:
    """False once the observer or an emitter died (watchdog stops one whose root vanished)."""
    return observer.is_alive() and all(emitter.is_alive() for emitter in list(observer.emitters))


def _halt(observer: BaseObserver | None) -> None:
    if observer is None:
        return
    observer.stop()
    if observer.ident is not None:  # never started: nothing to join
        observer.join(JOIN_TIMEOUT_S)
