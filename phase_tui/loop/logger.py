"""The bounce logger: live detection in the export folders, catch-up, reconcile.

watcher -> settle tracker -> register (header) -> hash and classify -> journal event ->
levels in the background. Files that settle together are handled together (one Store
write per step, whatever their number); a deleted file is marked missing. Owned by the app
(or a headless daemon): `start()` runs the catch-up in a thread of its own and repeats it
every `reconcile_minutes` (it finds what change events missed), `stop()` joins everything.
Reports through `emit` only.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from phase_tui.activity import EVENTS
from phase_tui.config import Config
from phase_tui.events import BounceLogged, BouncesChanged, Emit, Notice, WatchHealthChanged
from phase_tui.loop.analysis_queue import AnalysisQueue
from phase_tui.loop.bounce_fields import EMPTY, INCOMPLETE, OK, UNREADABLE
from phase_tui.loop.catalogue import BounceCatalogue, Identified, ScanReport
from phase_tui.loop.compiler import catch_up
from phase_tui.loop.ignore import IgnoreRules
from phase_tui.loop.settle import SettleTracker
from phase_tui.loop.watcher import FolderWatcher, WatchHealth
from phase_tui.store import Record, Store

if TYPE_CHECKING:
    from phase_tui.loop.bounce_art import AutoArt

log = logging.getLogger(__name__)

LOGGED_KINDS = frozenset({"new", "reexport"})
# A bounce logged live is classified before it is measured, and comes back from the
# analysis as "same": its art waits for that, to show its loudness.
MEASURED_KINDS = LOGGED_KINDS | {"same"}
NOT_A_BOUNCE = {UNREADABLE: "Unreadable", EMPTY: "Empty", INCOMPLETE: "Incomplete"}
NOTICES_SHOWN = 5  # per batch; more are summed up in one notice
JOIN_TIMEOUT_S = 10.0


class BounceLogger:
    """Watches the configured export folders and logs every finished bounce once."""

    def __init__(
        self,
        root: Path,
        config: Config,
        store: Store,
        context: Callable[[], Mapping[str, Any]],
        emit: Emit,
        *,
        catalogue: BounceCatalogue | None = None,
        poll_interval_s: float = 1.0,
        rearm_interval_s: float = 2.0,
    ) -> None:
        """`context()` gives the session, phase and form a bounce is logged with; `catalogue`
        replaces the one made over `store`; the intervals tune the watcher (tests)."""
        watch = config.watch
        self.store = store
        self.folders = watch.resolved(root)
        self.rules = IgnoreRules(patterns=tuple(watch.ignore))
        self.catalogue = catalogue or BounceCatalogue(store, root, context)
        self._context = context
        self._emit = emit
        self._reconcile_s = watch.reconcile_minutes * 60
        self.settle = SettleTracker(watch.settle_s, self._on_settled, on_gone=self._on_gone)
        self.watcher = FolderWatcher(
            self.folders,
            self.rules,
            self.settle.touch,
            self._on_health,
            poll_folders=watch.resolved(root, watch.poll_folders),
            poll_interval_s=poll_interval_s,
            rearm_interval_s=rearm_interval_s,
        )
        self.analysis = AnalysisQueue(self.catalogue, self._on_analysed)
        self._config = config
        self.art: AutoArt | None = None
        if config.art.auto:  # Pillow and numpy: imported only when art is wanted
            from phase_tui.loop.bounce_art import AutoArt

            self.art = AutoArt(root, config.art)
        self._unfinished = [record["id"] for record in self.catalogue.unfinished()]
        self._stopping = threading.Event()
        self._watching = False  # files still being written are left to the settle tracker
        self._scan_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """Start watching, then catch up and reconcile in the background."""
        for folder in self.folders:
            if _inside(folder, self.catalogue.root):  # never create a DAW's folder elsewhere
                folder.mkdir(parents=True, exist_ok=True)
        self._stopping.clear()
        self.analysis.start()
        self.settle.start()
        self.watcher.start()
        self._watching = True
        self._thread = threading.Thread(
            target=self._catch_up_loop, name="bounce-catch-up", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop watching, scanning and analysing; joins every thread."""
        self._stopping.set()
        self._watching = False
        self.watcher.stop()
        self.settle.stop()
        self.analysis.stop()
        if self.art is not None:
            self.art.stop()
        if self._thread is not None:
            self._thread.join(JOIN_TIMEOUT_S)
            self._thread = None

    def health(self) -> list[WatchHealth]:
        return self.watcher.health()

    # ------------------------------------------------------------------ scanning
    def scan(self, progress: Callable[[int], None] | None = None) -> ScanReport:
        """Catch up now: register what changed, queue it for hashing and levels. While
        watching, files still being written go to the settle tracker; records a previous
        run left unanalysed are queued by the first scan."""
        fresh_s = self.settle.settle_s if self._watching else 0.0
        with self._scan_lock:
            report = catch_up(
                self.catalogue,
                self.folders,
                self.rules,
                progress,
                fresh_s=fresh_s,
                on_fresh=self.settle.touch,
            )
            unfinished, self._unfinished = self._unfinished, []
        self.analysis.put([*unfinished, *(r["id"] for r in (*report.new, *report.changed))])
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
    def _on_settled(self, paths: list[Path]) -> None:
        """Files stopped changing: register, hash and log them together (settle thread)."""
        new, changed = self.catalogue.register(paths)
        records = [*new, *changed]
        self._notify(
            [
                f"{NOT_A_BOUNCE[record['status']]} bounce {record['name']}: {record['reason']}"
                for record in records
                if record.get("status") in NOT_A_BOUNCE
            ],
            "warning",
        )
        audio = [record for record in records if record.get("status") == OK]
        if audio:
            digests = {record["id"]: self.catalogue.hash_file(record) for record in audio}
            self._log(self.catalogue.classify(digests), live=True)
            self.analysis.put(digests, urgent=True)
        if records:
            self._emit(BouncesChanged(len(records)))

    def _on_gone(self, paths: list[Path]) -> None:
        """Files or folders were deleted or moved away: the records of the files, and of
        every file that was under the folders, are missing (settle thread)."""
        folders = [p for p in paths if not self.rules.is_candidate(p) and not os.path.lexists(p)]
        missing = [
            *self.catalogue.mark_missing(paths),
            *(self.catalogue.mark_vanished(folders, present=()) if folders else ()),
        ]
        if missing:
            self._emit(BouncesChanged(len(missing)))

    def _on_analysed(self, found: list[Identified]) -> None:
        self._log(found, live=False)
        self._emit(BouncesChanged(len(found)))
        if self.art is not None:
            phase = self._context().get("phase") or self._config.default_phase
            colour = self._config.phase(str(phase)).colour
            self.art.submit((i.record for i in found if i.kind in MEASURED_KINDS), colour)

    def _log(self, found: list[Identified], live: bool) -> None:
        """Journal the bounces among `found` (one write) and report each one."""
        self._notify([text for item in found if (text := _noted(item))])
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
            "duration_s": record.get("duration_s"),
            "caught_up": not live,
        }

    def _notify(self, texts: list[str], severity: str = "information") -> None:
        """Notices for one batch: the first few, then how many more (no flood of toasts)."""
        shown = texts if len(texts) <= NOTICES_SHOWN else texts[: NOTICES_SHOWN - 1]
        for text in shown:
            self._emit(Notice(text, severity))
        if len(texts) > len(shown):
            more = len(texts) - len(shown)
            self._emit(Notice(f"... and {more} more like it (phase-os bounces)", severity))

    def _on_health(self, health: WatchHealth) -> None:
        self._emit(WatchHealthChanged(str(health.folder), health.mode, health.detail))


def _noted(item: Identified) -> str:
    """What a producer is told about a file that was not logged as a new bounce ("": nothing)."""
    if item.kind == "duplicate" and item.other is not None:
        return f"{item.record['name']} is identical to {item.other['name']}: noted as a duplicate"
    if item.kind == "moved" and item.other is not None:
        return f"{item.other['name']} moved to {item.record['path']}"
    return ""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
