"""The crate miner: re-scans every crate source now and then, and says what it found.

The app asks `due` at start and runs the miner when no scan happened yet or the last one is
older than `[oracle] rescan_days` (never by itself when that is 0); a key, or `phase-os
crate scan`, runs it at once. A studio left closed for weeks is caught up by one scan.
Each scan is a record of the journal kind `crate_scans`: `at` and the counts of its report.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from phase_tui.context import StudioContext
from phase_tui.oracle.crates import Source, crate_sources
from phase_tui.oracle.library import FEATURES_FILE, ImportReport, Progress, SampleLibrary
from phase_tui.store import Record

CRATE_SCANS = "crate_scans"
DAY_S = 86400.0


def studio_library(context: StudioContext) -> SampleLibrary:
    """The sample library of an opened studio."""
    studio = context.studio
    return SampleLibrary(context.store, studio.root, studio.cache_dir / FEATURES_FILE)


class CrateMiner:
    """Scans the crates of one studio into its sample library, on a schedule."""

    def __init__(self, context: StudioContext, clock: Callable[[], float] = time.time) -> None:
        self.context = context
        self.clock = clock
        self.library = studio_library(context)

    def last_scan(self) -> Record | None:
        """The record of the latest scan, or None before the first."""
        scans = self.context.store.all(CRATE_SCANS)
        return max(scans, key=lambda record: (record["at"], record["id"]), default=None)

    def due(self, now: float | None = None) -> bool:
        """True when no scan happened yet or the last is `rescan_days` old; never when
        `rescan_days` is 0 or there is no source to scan."""
        days = self.context.config.oracle.rescan_days
        if days <= 0 or not self._has_sources():
            return False
        last = self.last_scan()
        if last is None:
            return True
        now = self.clock() if now is None else now
        return now - float(last["at"]) >= days * DAY_S

    def _sources(self) -> list[Source]:
        context = self.context
        return crate_sources(context.studio.root, context.config.oracle, context.store)

    def _has_sources(self) -> bool:
        """Whether some source is there to scan (a studio with no crate costs no scan)."""
        return any(source.present for source in self._sources())

    def run(
        self,
        now: float | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        """Import every source now and record the scan (a cancelled one is not recorded, so
        the next start scans again)."""
        now = self.clock() if now is None else now
        context = self.context
        sources = self._sources()
        report = self.library.import_sources(sources, progress, cancelled)
        if not report.cancelled:
            context.store.insert(
                CRATE_SCANS,
                {
                    "at": now,
                    "sources": len(sources),
                    "new": report.new,
                    "changed": report.changed,
                    "unchanged": report.unchanged,
                    "missing": report.missing,
                    "unreadable": len(report.unreadable),
                    "broken": len(report.broken),
                },
            )
        return report
