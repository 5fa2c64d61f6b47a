"""The folder watcher: which files in the export folders may have changed, as they change.

One watchdog observer per folder, recursive: inotify, or polling for the folders in
`poll_folders`, for folders on a network drive (they send no inotify events; see `mounts`)
and whenever the system refuses an inotify watch (limits). Every created, modified,
closed-after-write, moved, or deleted file that passes the ignore rules, and every folder
deleted or moved away, goes to `on_candidate(path, closed)` (the caller hands it to a
`SettleTracker`, which tells a finished file from a gone one; `closed` says a
close-after-write caused it); a folder that appears is walked. A keeper thread stats the
roots every `rearm_interval_s`: a folder deleted, renamed, replaced or unmounted is reported
`missing`, and watched again and walked when it is back. Every change of how a folder is
watched (inotify, polling, missing, stopped) goes to `on_health`. Both callbacks run on
watcher threads.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from phase_tui.loop.ignore import IgnoreRules
from phase_tui.loop.mounts import network_filesystem

log = logging.getLogger(__name__)

# Our own reads make `opened` and `closed_no_write` events: reacting to them loops forever.
CANDIDATE_EVENTS = frozenset({"created", "modified", "moved", "closed", "deleted"})
OnCandidate = Callable[[Path, bool], None]
JOIN_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class WatchHealth:
    """How one folder is watched: inotify, polling, missing (re-armed when back) or stopped."""

    folder: Path
    mode: str
    detail: str


@dataclass
class _Watch:
    folder: Path
    forced_polling: bool
    health: WatchHealth
    observer: BaseObserver | None = None
    identity: tuple[int, int] = (0, 0)  # st_dev, st_ino of the folder when armed


class FolderWatcher:
    """Watches folders recursively and reports candidate files; see the module docstring."""

    def __init__(
        self,
        folders: Sequence[Path],
        rules: IgnoreRules,
        on_candidate: OnCandidate,
        on_health: Callable[[WatchHealth], None],
        poll_folders: Collection[Path] = (),
        poll_interval_s: float = 1.0,
        rearm_interval_s: float = 2.0,
    ) -> None:
        polled = {Path(folder) for folder in poll_folders}
        self._watches = [
            _Watch(Path(f), Path(f) in polled, WatchHealth(Path(f), "stopped", "not started"))
            for f in folders
        ]
        self._rules = rules
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

    def _on_event(self, root: Path, event: FileSystemEvent) -> None:
        """One watchdog event: candidates to `on_candidate`, a vanished root to the keeper."""
        kind = event.event_type
        source = Path(os.fsdecode(event.src_path))
        if event.is_directory and source == root and kind in ("deleted", "moved"):
            self._wake.set()  # check the roots now, not at the next interval
        elif kind not in CANDIDATE_EVENTS:
            return
        elif not event.is_directory:
            paths = [source, Path(os.fsdecode(event.dest_path))] if kind == "moved" else [source]
            candidates = [path for path in paths if self._rules.is_candidate(path, root)]
            self._report(candidates, closed=kind == "closed")
        else:  # a folder: one that went away took its files along, one that came is walked
            if kind in ("deleted", "moved"):
                self._report([source])
            if kind in ("created", "moved"):
                path = Path(os.fsdecode(event.dest_path)) if kind == "moved" else source
                self._report(map(Path, self._rules.candidates_under(path, root)))

    def _report(self, paths: Iterable[Path], closed: bool = False) -> None:
        for path in paths:
            try:
                self._on_candidate(path, closed)
            except Exception:
                log.exception("on_candidate failed for %s", path)

    # ------------------------------------------------------------------ arming
    def _arm(self, watch: _Watch, walk: bool) -> None:
        """Start watching `watch.folder` (or note it missing); walk it when `walk`."""
        try:
            watch.identity = _identity(watch.folder)
            mode, detail = self._start_observer(watch)
        except OSError as error:
            gone = error.errno in (errno.ENOENT, errno.ENOTDIR)
            why = "folder not found" if gone else f"cannot watch: {error.strerror or error}"
            self._set(watch, "missing", f"{why}; watching for it to return")
            return
        except Exception as error:  # a watchdog failure must not end the watching of others
            log.exception("watching %s failed", watch.folder)
            self._set(watch, "missing", f"cannot watch: {error}; trying again")
            return
        self._set(watch, mode, detail)
        if walk:
            self._report(map(Path, self._rules.candidates_under(watch.folder, watch.folder)))

    def _start_observer(self, watch: _Watch) -> tuple[str, str]:
        polling = f"polling every {self._poll_s:g} s"
        if watch.forced_polling:
            watch.observer = self._started(self._poller(), watch.folder)
            return "polling", f"{polling} (poll_folders)"
        network = network_filesystem(watch.folder)
        if network is not None:  # inotify would be silent about other machines' writes
            watch.observer = self._started(self._poller(), watch.folder)
            return "polling", f"network drive ({network}); {polling}"
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
        with self._lock:
            previous = watch.health
            if previous.mode == mode and (previous.detail == detail or mode == "missing"):
                return
            watch.health = health = WatchHealth(watch.folder, mode, detail)
        try:
            self._on_health(health)
        except Exception:
            log.exception("on_health failed for %s", health)

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
            self._set(watch, "missing", "folder deleted, renamed, replaced or unmounted")
        self._arm(watch, walk=True)


class _Handler(FileSystemEventHandler):
    """Hands one root's events to the watcher; no exception ever reaches watchdog (#427)."""

    def __init__(self, watcher: FolderWatcher, root: Path) -> None:
        self._watcher = watcher
        self._root = root

    def dispatch(self, event: FileSystemEvent) -> None:
        try:
            self._watcher._on_event(self._root, event)
        except Exception:
            log.exception("handling %r failed", event)


def _identity(folder: Path) -> tuple[int, int]:
    """The folder's device and inode; OSError when it is not a folder (any more)."""
    info = os.stat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
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
