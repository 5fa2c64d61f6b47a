"""The headless daemon: a studio's services without the app, for a machine left running.

`phase-os daemon` runs what the app runs in the background: the phase file watcher, the
control socket, the bounce logger, the payloads of phase changes, the transcription of
pending memos, and every hour the due weekly digests and the crate miner. It records no
memo (the microphone belongs to the app). One daemon or app per studio: the control socket
answering means one already runs, and `run` raises `AlreadyServed`. It logs to
`.phase_os/phase_os.log`; `run_daemon` turns SIGTERM and SIGINT into a clean stop.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from phase_tui import control
from phase_tui.activity import log_event
from phase_tui.context import StudioContext
from phase_tui.events import (
    BounceLogged,
    Event,
    MemoChanged,
    Notice,
    PayloadFinished,
    PhaseChanged,
    PhaseFileRejected,
    SessionChanged,
    WatchHealthChanged,
)
from phase_tui.logs import setup_logging
from phase_tui.phase.payloads import PayloadRunner
from phase_tui.phase.switcher import PhaseSwitcher
from phase_tui.services import StudioServices
from phase_tui.session.sessions import resume_or_start, start_session
from phase_tui.shell_commands import SharedCommands, dispatch
from phase_tui.voice.service import MemoService

log = logging.getLogger(__name__)

ROLE = "daemon"
SCHEDULE_CHECK_INTERVAL_S = 3600.0  # how often the daemon looks for a digest or scan due
NO_RECORDING = "the daemon does not record; open the app (`phase-os`) to record memos"
# Reports after which the status snapshot (`phase-os status`) is rewritten.
SNAPSHOT_EVENTS = (BounceLogged, PhaseChanged, SessionChanged)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class AlreadyServed(RuntimeError):
    """An app or another daemon already answers on the studio's control socket."""


class Daemon:
    """The studio's services, run headless until `stop` is set."""

    def __init__(self, context: StudioContext, clock: Callable[[], float] = time.time) -> None:
        self.context = context
        self.clock = clock
        self.started_at: float | None = None
        self.last_jobs: dict[str, float | None] = {"digests": None, "crates": None}
        self._session_lock = threading.Lock()  # two threads never start two sessions
        self._payloads = PayloadRunner(self._payload_done)
        self.switcher = PhaseSwitcher(
            context.studio,
            context.config,
            context.store,
            session=self._session_name,
            emit=self._emit,
            payloads=self._payloads,
            clock=clock,
        )
        self.services = StudioServices(
            context,
            emit=self._emit,
            on_phase_file=self.switcher.apply_file_text,
            dispatch=self._dispatch,
            bounce_context=self._bounce_context,
        )
        self.memos = MemoService(
            context,
            self._emit,
            session=self._session_name,
            phase=lambda: self.switcher.current,
            switch_phase=lambda name: self.switcher.switch(name, by="voice"),
            clock=clock,
        )

    # ----------------------------------------------------------------- life cycle
    def run(self, stop: threading.Event) -> None:
        """Serve until `stop` is set; raises AlreadyServed when the studio is served."""
        internal = self.context.studio.internal
        if control.app_is_running(internal):
            raise AlreadyServed(already_served_message(self.context))
        self.services.start()
        try:
            if self.services.server is None:  # another one bound the socket meanwhile
                raise AlreadyServed(already_served_message(self.context))
            self.started_at = self.clock()
            log.info("daemon serving %s (pid %d)", self.context.studio.root, os.getpid())
            self.memos.recover()
            self._write_due_digests(retry_mail=True)
            self._scan_crates_if_due(stop)
            while not stop.wait(SCHEDULE_CHECK_INTERVAL_S):
                self._write_due_digests()
                self._scan_crates_if_due(stop)
        finally:
            self._shutdown()

    def _shutdown(self) -> None:
        self.memos.shutdown()
        self.services.stop()
        self._payloads.shutdown()
        self.context.refresh_status(app_running=False)
        log.info("daemon stopped")

    # ----------------------------------------------------------------- scheduled jobs
    def _write_due_digests(self, retry_mail: bool = False) -> None:
        """Write every due weekly digest (and at start, mail again what failed to send)."""
        from phase_tui.loop.digest_scheduler import DigestScheduler

        now = self.clock()
        try:
            written, unsent = DigestScheduler(self.context, clock=self.clock).catch_up(
                now, retry_mail
            )
        except Exception:  # one failed job must not end the daemon: tried again next hour
            log.exception("writing the due digests failed")
            return
        self.last_jobs["digests"] = now
        for record in written:
            log.info("weekly digest written: %s", record["path"])
        for record in unsent:
            log.warning("%s was not mailed: %s", record["path"], record["mail"]["error"])

    def _scan_crates_if_due(self, stop: threading.Event) -> None:
        """Re-scan the crates when `[oracle] rescan_days` passed (a stop cancels the scan)."""
        from phase_tui.oracle.miner import CrateMiner

        miner = CrateMiner(self.context, clock=self.clock)
        now = self.clock()
        try:
            if miner.due(now):
                log.info("crates scanned: %s", miner.run(now, cancelled=stop.is_set).summary())
        except Exception:
            log.exception("scanning the crates failed")
            return
        self.last_jobs["crates"] = now

    # ----------------------------------------------------------------- reports
    def _emit(self, event: Event) -> None:
        """A report of a service (any thread): to the log, and the status snapshot."""
        if isinstance(event, Notice):
            level = logging.WARNING if event.severity in ("warning", "error") else logging.INFO
            log.log(level, "%s", event.text)
        elif isinstance(event, WatchHealthChanged):
            log.info("watching %s: %s (%s)", event.folder, event.mode, event.detail)
        elif isinstance(event, PhaseFileRejected):
            log.warning("current_phase.txt said %r, not a phase: ignored", event.text)
        elif isinstance(event, MemoChanged):
            log.info("memo %s: %s", event.record.get("name"), event.what)
        if isinstance(event, SNAPSHOT_EVENTS):
            self.context.refresh_status(app_running=False)

    def _payload_done(self, result: PayloadFinished) -> None:
        log_event(
            self.context.store,
            "payload",
            session=self._session_name(),
            phase=result.phase,
            at=self.clock(),
            hook=result.hook,
            argv=list(result.argv),
            ok=result.ok,
            summary=result.summary(),
        )
        log.log(logging.INFO if result.ok else logging.WARNING, "%s", result.summary())

    def _session_name(self) -> str:
        """The session now: the latest, or a new one after `idle_gap_hours` without activity."""
        with self._session_lock:
            session, new = resume_or_start(
                self.context.store,
                idle_gap_s=self.context.config.idle_gap_hours * 3600,
                phase=self.switcher.current,
                now=self.clock(),
            )
            if new:
                self._emit(SessionChanged(session["id"], session["name"], session["colour"]))
        return str(session["name"])

    def _bounce_context(self) -> dict[str, Any]:
        """What a bounce logged now carries: the session, the phase, the active form map."""
        from phase_tui.builder.versions import FormVersions

        active = FormVersions(self.context.store, self.context.studio.root).active()
        return {
            "session": self._session_name(),
            "phase": self.switcher.current,
            "form": active.id if active else None,
        }

    def report(self) -> dict[str, Any]:
        """What `status` answers: the role, since when, the watched folders, the queues."""
        logger = self.services.bounces
        watched = logger.health() if logger is not None else []
        return {
            "role": ROLE,
            "pid": os.getpid(),
            "studio": str(self.context.studio.root),
            "started_at": self.started_at,
            "phase": self.switcher.current,
            "watch": [
                {"folder": str(health.folder), "mode": health.mode, "detail": health.detail}
                for health in watched
            ],
            "queues": {
                "analysis": logger.analysis.pending() if logger is not None else 0,
                "transcription": self.memos.worker.waiting,
            },
            "last_jobs": dict(self.last_jobs),
        }

    # ----------------------------------------------------------------- control socket
    def _dispatch(self, cmd: str, args: dict[str, Any]) -> Any:
        """Answer a shell command (the control socket's thread)."""
        shared = SharedCommands(
            self.context,
            role=ROLE,
            switcher=self.switcher,
            services=self.services,
            session=self._session_name,
            new_session=self._new_session,
            clock=self.clock,
            on_notify=_journalled,
        )
        own = {
            "status": lambda args: self.report(),
            "memo.start": _refuse_recording,
            "memo.stop": _refuse_recording,
            "memo.toggle": _refuse_recording,
            "memo.transcribe": lambda args: self.memos.transcribe(str(args["id"])),
            "memo.transcribe_pending": lambda args: self.memos.transcribe_pending(),
            "memo.status": lambda args: self.memos.describe_state(),
        }
        return dispatch({**shared.table(), **own}, cmd, args)

    def _new_session(self) -> str:
        made = start_session(
            self.context.store, reason="asked", phase=self.switcher.current, now=self.clock()
        )
        self._emit(SessionChanged(made["id"], made["name"], made["colour"]))
        return str(made["name"])


def _journalled(text: str) -> str:
    """Nobody sees a notification here: the note is journalled, and logged."""
    log.info("notify: %s", text)
    return "journalled"


def _refuse_recording(_args: dict[str, Any]) -> Any:
    raise control.CommandError(NO_RECORDING)


def already_served_message(context: StudioContext) -> str:
    """Why a second daemon does not start: what answers on the studio's socket."""
    internal = context.studio.internal
    what = "a Phase OS daemon" if control.served_role(internal) == ROLE else "the Phase OS app"
    return (
        f"{what} already serves {context.studio.root} (its control socket "
        f"{control.socket_path(internal)} answers): one daemon or app per studio"
    )


def run_daemon(context: StudioContext) -> None:
    """Run the daemon in this process (main thread) until SIGTERM or SIGINT; raises
    AlreadyServed when an app or daemon already serves the studio."""
    setup_logging(context.studio.log_path)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
    try:
        Daemon(context).run(stop)
    except AlreadyServed as error:
        log.warning("daemon not started: %s", error)
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
