"""Exit rules: when a phase has done its work, suggest the next one.

From `phase_os.toml`, per phase: `leave_after_bounces` (bounces logged since entering) and
`leave_after_minutes` (time in the phase); 0 turns a rule off. A rule only suggests; the
producer accepts with a key (the change is then recorded as `by: rule`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from phase_tui.config import Config


@dataclass(frozen=True)
class Suggestion:
    """A suggested phase change and why."""

    leave: str
    to: str
    reason: str

    def text(self) -> str:
        return f"{self.reason} — time for {self.to}?"


def next_phase(config: Config, phase: str) -> str:
    """The configured `next` of a phase, else the following phase in order."""
    settings = config.phase(phase)
    if settings.next:
        return settings.next
    names = config.phase_names
    return names[(names.index(phase) + 1) % len(names)]


def suggest(
    config: Config,
    phase: str,
    entered_at: float,
    events: Iterable[Mapping[str, Any]],
    now: float,
) -> Suggestion | None:
    """The suggestion the rules of `phase` make now, or None."""
    settings = config.phase(phase)
    to = next_phase(config, phase)
    if to == phase:
        return None
    if settings.leave_after_bounces > 0:
        bounces = sum(
            1
            for event in events
            if event.get("type") == "bounce" and float(event.get("at", 0)) >= entered_at
        )
        if bounces >= settings.leave_after_bounces:
            return Suggestion(phase, to, f"{bounces} bounces in {phase}")
    if settings.leave_after_minutes > 0:
        minutes = (now - entered_at) / 60
        if minutes >= settings.leave_after_minutes:
            return Suggestion(phase, to, f"{minutes:.0f} min in {phase}")
    return None
