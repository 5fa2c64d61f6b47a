"""Switching phases: validate, write `current_phase.txt`, record the event, fire payloads.

Used by the app (keys, the control socket, the phase file watcher, rules) and by the CLI
when no app is running, so every change is recorded the same way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from phase_tui.activity import log_event
from phase_tui.config import Config
from phase_tui.events import Emit, PhaseChanged, PhaseFileRejected
from phase_tui.phase.payloads import PayloadRunner, payload_env
from phase_tui.phase.phase_file import read_phase_file, write_phase_file
from phase_tui.session.studio import Studio
from phase_tui.store import Store

CHANGE_SOURCES = ("key", "shell", "file", "rule", "voice", "start")


class UnknownPhase(ValueError):
    """A phase name that is not in the configuration."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown phase {name!r}; phases are: {', '.join(known)}")
        self.name = name


class PhaseSwitcher:
    """The current phase of a studio and the one way to change it."""

    def __init__(
        self,
        studio: Studio,
        config: Config,
        store: Store,
        session: Callable[[], str],
        emit: Emit,
        payloads: PayloadRunner | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.studio = studio
        self.config = config
        self.store = store
        self._session = session
        self._emit = emit
        self._payloads = payloads
        self._clock = clock
        self._lock = threading.Lock()
        self.current = self._initial_phase()
        self.entered_at = self._entered_at()

    def _initial_phase(self) -> str:
        """The phase in the file; else the last recorded one; else the default (then written)."""
        from_file = read_phase_file(self.studio.phase_file)
        if from_file in self.config.phase_names:
            return from_file
        changes = self.store.find("events", lambda e: e.get("type") == "phase")
        last = changes[-1]["to"] if changes else None
        phase = last if last in self.config.phase_names else self.config.default_phase
        write_phase_file(self.studio.phase_file, phase)
        return phase

    def _entered_at(self) -> float:
        changes = self.store.find(
            "events", lambda e: e.get("type") == "phase" and e.get("to") == self.current
        )
        return float(changes[-1]["at"]) if changes else self._clock()

    def switch(self, phase: str, by: str) -> PhaseChanged | None:
        """Make `phase` current; None when it already is. Raises UnknownPhase."""
        phase = phase.strip().lower()
        if phase not in self.config.phase_names:
            raise UnknownPhase(phase, self.config.phase_names)
        with self._lock:
            previous = self.current
            if phase == previous:
                return None
            if read_phase_file(self.studio.phase_file) != phase:
                write_phase_file(self.studio.phase_file, phase)
            now = self._clock()
            self.current, self.entered_at = phase, now
            log_event(
                self.store,
                "phase",
                session=self._session(),
                phase=phase,
                at=now,
                **{"from": previous, "to": phase, "by": by},
            )
        change = PhaseChanged(previous=previous, phase=phase, by=by, at=now)
        self._fire_payloads(previous, phase)
        self._emit(change)
        return change

    def apply_file_text(self, text: str | None) -> PhaseChanged | None:
        """React to an outside edit of the phase file: switch, or report an unknown phase."""
        if text is None or text == self.current:
            return None
        if text not in self.config.phase_names:
            self._emit(PhaseFileRejected(text=text, known=self.config.phase_names))
            write_phase_file(self.studio.phase_file, self.current)
            return None
        return self.switch(text, by="file")

    def _fire_payloads(self, previous: str | None, phase: str) -> None:
        if self._payloads is None:
            return
        env = payload_env(phase, previous, self._session(), str(self.studio.root))
        cwd = str(self.studio.root)
        if previous is not None:
            old = self.config.phase(previous)
            self._payloads.submit(
                old.on_exit,
                phase=previous,
                hook="on_exit",
                env=env,
                cwd=cwd,
                timeout_s=old.payload_timeout_s,
            )
        new = self.config.phase(phase)
        self._payloads.submit(
            new.on_enter,
            phase=phase,
            hook="on_enter",
            env=env,
            cwd=cwd,
            timeout_s=new.payload_timeout_s,
        )
