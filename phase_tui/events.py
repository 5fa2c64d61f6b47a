"""Typed events that background work (watchers, payloads, the control socket) reports.

Domain code hands these to a callback; the app turns them into Textual messages. They are
frozen dataclasses so they can cross threads safely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PhaseChanged:
    """The current phase changed (by a key, the shell, the phase file or a rule)."""

    previous: str | None
    phase: str
    by: str
    at: float


@dataclass(frozen=True)
class PhaseFileRejected:
    """`current_phase.txt` was edited to something that is not a configured phase."""

    text: str
    known: tuple[str, ...]


@dataclass(frozen=True)
class PayloadFinished:
    """An `on_enter`/`on_exit` payload command ended (or failed to start, or timed out)."""

    phase: str
    hook: str
    argv: tuple[str, ...]
    returncode: int | None
    timed_out: bool
    error: str | None
    output_tail: str
    duration_s: float

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out and self.returncode == 0

    def summary(self) -> str:
        """One line for the HUD and the log."""
        name = self.argv[0] if self.argv else "?"
        if self.timed_out:
            return (
                f"{self.hook} payload `{name}` of {self.phase} timed out "
                f"after {self.duration_s:.0f} s"
            )
        if self.error is not None:
            return f"{self.hook} payload `{name}` of {self.phase} failed to start: {self.error}"
        if self.returncode != 0:
            return f"{self.hook} payload `{name}` of {self.phase} exited with {self.returncode}"
        return f"{self.hook} payload `{name}` of {self.phase} ran in {self.duration_s:.1f} s"


@dataclass(frozen=True)
class Notice:
    """A message for the user (from `phase-os notify`, a store problem, a watcher)."""

    text: str
    severity: str = "information"


@dataclass(frozen=True)
class SessionChanged:
    """A new session started (idle gap or `phase-os session new`)."""

    session_id: str
    name: str
    colour: str


@dataclass(frozen=True)
class BounceLogged:
    """A finished bounce was logged (`kind`: new, reexport, caught_up)."""

    record: dict[str, Any]
    kind: str


@dataclass(frozen=True)
class BouncesChanged:
    """Bounce records changed (analysed, moved, missing...): views should refresh."""

    count: int


@dataclass(frozen=True)
class WatchHealthChanged:
    """A watched folder's state: mode is inotify, polling, missing or stopped."""

    folder: str
    mode: str
    detail: str


@dataclass(frozen=True)
class MemoChanged:
    """A voice memo changed: `what` is started, stopped, transcribing, transcribed, pending,
    failed, deleted or edited; `done` lists what its words did (tags, notes, commands)."""

    record: dict[str, Any]
    what: str
    done: tuple[str, ...] = ()


Event = (
    PhaseChanged
    | PhaseFileRejected
    | PayloadFinished
    | Notice
    | SessionChanged
    | BounceLogged
    | BouncesChanged
    | WatchHealthChanged
    | MemoChanged
)
Emit = Callable[[Event], None]
