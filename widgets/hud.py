"""The HUD: one line on every screen with the phase, session, time in phase and the clock.

It takes a `HudState` (a plain frozen dataclass the app replaces on every change) and a
clock function, and knows nothing else about the app. Later capabilities fill the slots
(last bounce, memo, watcher health) by setting fields of the state. One widget drawing one
line of text: cheap to start, and redrawn only when what it reads changes (it checks
every second; the text changes about once a minute), so an idle pane costs next to nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from phase_tui.formatting import format_duration


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
        return replace(self, slots=slots + ((name, text),) if text else slots)

    def slot(self, name: str) -> str:
        """The text of one slot, "" when empty."""
        return dict(self.slots).get(name, "")


class Hud(Widget):
    """Phase chip, session, time in phase, slots, suggestion or alert, clock."""

    DEFAULT_CSS = """
    Hud {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    Hud.-flash { background: $accent; }
    Hud > .hud--muted { color: $text-muted; }
    Hud > .hud--message { color: $warning; }
    Hud > .hud--alert { color: $error; text-style: bold; }
    Hud > .hud--chip { color: $background; text-style: bold; }
    """
    COMPONENT_CLASSES = {"hud--muted", "hud--message", "hud--alert", "hud--chip"}

    state: reactive[HudState] = reactive(HudState, always_update=True)

    def __init__(self, clock: Callable[[], float] = time.time, clock_24h: bool = True) -> None:
        super().__init__()
        self._clock = clock
        self._clock_format = "%H:%M" if clock_24h else "%I:%M %p"
        self._shown: tuple[str, str] = ("", "")  # the time texts of the last render

    def on_mount(self) -> None:
        self._timer = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Redraw only when the time in phase or the clock would read differently."""
        if self._time_texts() != self._shown:
            self.refresh()

    def pause(self) -> None:
        """Stop the clock while the HUD's screen is hidden."""
        self._timer.pause()

    def resume(self) -> None:
        """Restart the clock and bring it up to date."""
        self.refresh()
        self._timer.resume()

    def _time_texts(self) -> tuple[str, str]:
        """What the time in phase and the clock read now."""
        clock = time.strftime(self._clock_format, time.localtime(self._clock()))
        return self.in_phase_text(), clock

    def in_phase_text(self) -> str:
        """`12m in phase`, or "" before the phase is known."""
        entered = self.state.entered_at
        return f"{format_duration(self._clock() - entered)} in phase" if entered else ""

    def message_text(self) -> str:
        """The alert when there is one, else the suggestion."""
        return self.state.alert or self.state.suggestion

    def render(self) -> Text:
        state = self.state
        self._shown = in_phase, clock = self._time_texts()
        style = self.get_component_rich_style
        chip = style("hud--chip") + Style(bgcolor=state.phase_colour)
        line = Text.assemble(
            (f" {state.phase.upper()} ", chip),
            (" ● ", state.session_colour),
            state.session,
            (f"  {in_phase}", style("hud--muted")),
        )
        for _, text in state.slots:
            line.append(f"  {text}", style("hud--muted"))
        if message := self.message_text():
            line.append(f"  {message}", style("hud--alert" if state.alert else "hud--message"))
        clock += " "
        width = self.size.width
        line.truncate(max(width - len(clock) - 1, 0), overflow="ellipsis")
        line.append(" " * max(width - line.cell_len - len(clock), 1))
        line.append(clock)
        return line
