"""The app's scheduled work: the weekly digest (written when a week is over, catching up
missed weeks, its mail retried at start) and the crate miner (a re-scan every
`[oracle] rescan_days`, or on a key). Checked at start and every hour while the app stays
open, always on worker threads; what they did is said through the app's notices and HUD.
An app attached to a daemon leaves all of this to the daemon."""

from __future__ import annotations

from typing import TYPE_CHECKING

from phase_tui.events import Emit, Notice

if TYPE_CHECKING:
    from phase_tui.app import PhaseOSApp

CHECK_INTERVAL_S = 3600.0  # how often the app looks for a digest or a scan due
PROGRESS_EVERY = 25  # files between two updates of the HUD while crates are scanned


class AppJobs:
    """Digest writing and crate scans for one app."""

    def __init__(self, app: PhaseOSApp, emit: Emit) -> None:
        self.app = app
        self._emit = emit

    def start(self) -> None:
        """At start (a worker thread): the hourly check, and everything due now."""
        self.app.call_from_thread(self.app.set_interval, CHECK_INTERVAL_S, self.check)
        self.write_due_digests(retry_mail=True)
        self.scan_if_due()

    def check(self) -> None:
        """The hourly check (UI thread): the jobs run on a worker thread."""
        self.app.run_worker(self._due_jobs, thread=True, exit_on_error=False, group="jobs")

    def _due_jobs(self) -> None:
        self.write_due_digests()
        self.scan_if_due()

    def write_due_digests(self, retry_mail: bool = False) -> None:
        """Write the digest of every week that ended (catching up weeks missed while the app
        was closed), mail them when asked to, and at start try again what failed to send."""
        from phase_tui.loop.digest_scheduler import DigestScheduler

        scheduler = DigestScheduler(self.app.context, clock=self.app.clock)
        written, unsent = scheduler.catch_up(retry_mail=retry_mail)
        for record in written:
            self._emit(Notice(f"Weekly digest written: {record['path']} (w shows it)"))
        for record in unsent:
            error = record["mail"]["error"]
            text = f"{record['path']} was not mailed: {error} (tried again next start)"
            self._emit(Notice(text, "warning"))

    def scan_if_due(self) -> None:
        """The miner's schedule: re-scan the crates when `[oracle] rescan_days` passed."""
        from phase_tui.oracle.miner import CrateMiner

        if CrateMiner(self.app.context, clock=self.app.clock).due(self.app.clock()):
            self.scan_crates()

    def scan_crates(self) -> None:
        """Import what is new in the crates (a worker thread), the progress in the HUD,
        then say what was found."""
        from phase_tui.oracle.miner import CrateMiner

        app = self.app

        def progress(done: int, total: int, _name: str) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                app.call_from_thread(app.set_hud_slot, "crates", f"⟳ crates {done}/{total}")

        report = CrateMiner(app.context, clock=app.clock).run(app.clock(), progress)
        app.call_from_thread(app.set_hud_slot, "crates", "")
        app.call_from_thread(app.notify, report.summary(), title="Crates scanned", timeout=8)
        app.call_from_thread(app.refresh_views)
