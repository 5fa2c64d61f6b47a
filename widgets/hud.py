"""The HUD: one line on every screen with the phase, session, time in phase and the clock.

It takes a `HudState` (a plain frozen dataclass the app replaces on every change) and a
clock function, and knows nothing else about the app. Later capabilities fill the slots
(last bounce, memo, watcher health) by setting fields of the state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from phase_tui.session.statusline import format_duration


@dataclass(frozen=True)
class HudState:
    """Everything the HUD shows, except the clock."""

    phase: str = "-"
    phase_colour: str = "#888888"
    session: str = "-"
    session_colour: str = "#888888"
    entered_at: float = 0.0
    suggestion: str = ""
    alert: str = ""
    slots: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def with_slot(self, name: str, text: str) -> HudState:
        """A copy with the named slot (e.g. "bounce", "memo", "watch") set to `text`."""
        slots = tuple((k, v) for k, v in self.slots if k != name)
        slots = slots + ((name, text),) if text else slots
        return HudState(**{**self.__dict__, "slots": slots})


class Hud(Horizontal):
    """Phase chip, session, time in phase, slots, suggestion or alert, clock."""

    DEFAULT_CSS = """
    Hud {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    Hud > #hud-phase { width: auto; padding: 0 1; text-style: bold; color: $background; }
    Hud > #hud-session { width: auto; padding: 0 1; }
    Hud > #hud-in-phase { width: auto; padding: 0 1; color: $text-muted; }
    Hud > #hud-slots { width: auto; padding: 0 1; color: $text-muted; }
    Hud > #hud-message { width: 1fr; padding: 0 1; color: $warning; text-overflow: ellipsis; }
    Hud > #hud-message.-alert { color: $error; text-style: bold; }
    Hud > #hud-clock { width: auto; padding: 0 1; color: $text; }
    """

    state: reactive[HudState] = reactive(HudState, always_update=True)

    def __init__(self, clock: Callable[[], float] = time.time, clock_24h: bool = True) -> None:
        super().__init__()
        self._clock = clock
        self._clock_format = "%H:%M" if clock_24h else "%I:%M %p"

    def compose(self) -> ComposeResult:
        yield Static(id="hud-phase")
        yield Static(id="hud-session")
        yield Static(id="hud-in-phase")
        yield Static(id="hud-slots")
        yield Static(id="hud-message")
        yield Static(id="hud-clock")

    def on_mount(self) -> None:
        self._timer = self.set_interval(1.0, self._tick)

    def pause(self) -> None:
        """Stop the clock while the HUD's screen is hidden."""
        self._timer.pause()

    def resume(self) -> None:
        """Restart the clock and bring it up to date."""
        self._tick()
        self._timer.resume()

    def watch_state(self, state: HudState) -> None:
        chip = self.query_one("#hud-phase", Static)
        chip.update(state.phase.upper())
        chip.styles.background = state.phase_colour
        self.query_one("#hud-session", Static).update(
            Text.assemble(("● ", state.session_colour), state.session)
        )
        self.query_one("#hud-slots", Static).update("  ".join(v for _, v in state.slots))
        message = self.query_one("#hud-message", Static)
        message.update(state.alert or state.suggestion)
        message.set_class(bool(state.alert), "-alert")
        self._tick()

    def _tick(self) -> None:
        now = self._clock()
        entered = self.state.entered_at
        self.query_one("#hud-in-phase", Static).update(
            f"{format_duration(now - entered)} in phase" if entered else ""
        )
        self.query_one("#hud-clock", Static).update(
            time.strftime(self._clock_format, time.localtime(now))
        )
