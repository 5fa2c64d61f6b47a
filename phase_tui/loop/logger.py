"""The bounce logger: live detection in the export folders, catch-up, reconcile.

watcher -> settle tracker -> register (header) -> hash and classify -> journal event ->
levels in the background. Owned by the app (or a headless daemon): `start()` in a thread
of its own, `stop()` joins everything. Reports through `emit` only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from phase_tui.activity import EVENTS
from phase_tui.config import Config
from phase_tui.events import BounceLogged, BouncesChanged, Emit, Notice, WatchHealthChanged
from phase_tui.loop.analysis_queue import AnalysisQueue
from phase_tui.loop.catalogue import BounceCatalogue, Identified, ScanReport
from phase_tui.loop.compiler import catch_up
from phase_tui.loop.ignore import IgnoreRules
from phase_tui.loop.settle import SettleTracker
from phase_tui.loop.watcher import FolderWatcher, WatchHealth
from phase_tui.store import Record, Store

log = logging.getLogger(__name__)

LOGGED_KINDS = frozenset({"new", "reexport"})


class BounceLogger:
    """Watches the configured export folders and logs every finished bounce once."""

    def __init__(
        self,
        root: Path,
        config: Config,
        store: Store,
        context: Callable[[], Mapping[str, Any]],
        emit: Emit,
    ) -> None:
        """`context()` gives the session, phase and form a bounce is logged with."""
        watch = config.watch
        self.store = store
        self.folders = watch.resolved(root)
        self.rules = IgnoreRules(patterns=tuple(watch.ignore))
        self.catalogue = BounceCatalogue(store, root, context)
        self._context = context
        self._emit = emit
        self._reconcile_s = watch.reconcile_minutes * 60
        self._settle = SettleTracker(watch.settle_s, self._on_settled)
        self._watcher = FolderWatcher(
            self.folders,
            self.rules,
            self._settle.touch,
            self._on_health,
            poll_folders=watch.resolved(root, watch.poll_folders),
        )
        self.analysis = AnalysisQueue(self.catalogue, self._on_analysed)
        self._stopping = threading.Event()
        self._scan_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """Start watching, then catch up and reconcile in the background."""
        for folder in self.folders:
            if _inside(folder, self.catalogue.root):  # never create a DAW's folder elsewhere
                folder.mkdir(parents=True, exist_ok=True)
        self.analysis.start()
        self._settle.start()
        self._watcher.start()
        self._thread = threading.Thread(
            target=self._catch_up_loop, name="bounce-catch-up", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._watcher.stop()
        self._settle.stop()
        self.analysis.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def health(self) -> list[WatchHealth]:
        return self._watcher.health()

    # ------------------------------------------------------------------ scanning
    def scan(self, progress: Callable[[int], None] | None = None) -> ScanReport:
        """Catch up now: register what changed, queue it for hashing and levels."""
        with self._scan_lock:
            report = catch_up(self.catalogue, self.folders, self.rules, progress)
        self.analysis.put(r["id"] for r in (*report.new, *report.changed))
        if report.vanished:
            self._emit(BouncesChanged(len(report.vanished)))
        return report

    def _catch_up_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.scan()
            except Exception:
                log.exception("catch-up scan failed")
            if self._reconcile_s <= 0 or self._stopping.wait(self._reconcile_s):
                return

    # ------------------------------------------------------------------ live path
    def _on_settled(self, path: Path) -> None:
        """A file stopped changing: register it, hash it, log it (settle thread)."""
        new, changed = self.catalogue.register([path])
        for record in (*new, *changed):
            if record.get("status") == "unreadable":
                self._emit(
                    Notice(f"Unreadable bounce {record['name']}: {record['reason']}", "warning")
                )
                self._emit(BouncesChanged(1))
                continue
            digest = self.catalogue.hash_file(record)
            self._log(self.catalogue.classify({record["id"]: digest}), live=True)
            self.analysis.put([record["id"]], urgent=True)

    def _on_analysed(self, found: list[Identified]) -> None:
        self._log(found, live=False)
        self._emit(BouncesChanged(len(found)))

    def _log(self, found: list[Identified], live: bool) -> None:
        """Journal the bounces among `found` (one write) and report each one."""
        for item in found:
            if item.kind == "duplicate" and item.other is not None:
                self._emit(
                    Notice(
                        f"{item.record['name']} is identical to "
                        f"{item.other['name']}: noted as a duplicate"
                    )
                )
            elif item.kind == "moved" and item.other is not None:
                self._emit(Notice(f"{item.other['name']} moved to {item.record['path']}"))
        logged = [item for item in found if item.kind in LOGGED_KINDS]
        if not logged:
            return
        context = dict(self._context())
        self.store.insert_many(EVENTS, [self._event(i.record, context, live) for i in logged])
        for item in logged:
            self._emit(BounceLogged(item.record, item.kind if live else "caught_up"))

    @staticmethod
    def _event(record: Record, context: Mapping[str, Any], live: bool) -> dict[str, Any]:
        return {
            "type": "bounce",
            "at": time.time() if live else float(record["mtime"]),
            "session": context.get("session"),
            "phase": context.get("phase"),
            "bounce": record["id"],
            "name": record["name"],
            "track": record["track"],
            "path": record["path"],
            "caught_up": not live,
        }

    def _on_health(self, health: WatchHealth) -> None:
        self._emit(WatchHealthChanged(str(health.folder), health.mode, health.detail))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
