"""Time per phase, today and this week, as a small table with proportional bars."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from phase_tui.formatting import format_duration

BAR_WIDTH = 16


class PhaseTimes(Static):
    """`show(phases, today, week)` draws one row per phase in its colour."""

    _shown: tuple[object, ...] = ()

    DEFAULT_CSS = """
    PhaseTimes { height: auto; padding: 0 1; }
    """

    def show(
        self,
        phases: Sequence[tuple[str, str]],
        today: Mapping[str, float],
        week: Mapping[str, float],
        current: str | None = None,
    ) -> None:
        """Draw `phases` (name, colour) with their seconds today and this week."""
        longest = max([*today.values(), 1.0])
        rows = [
            (
                name,
                colour,
                name == current,
                format_duration(today.get(name, 0.0)),
                round(BAR_WIDTH * today.get(name, 0.0) / longest),
                format_duration(week.get(name, 0.0)),
            )
            for name, colour in phases
        ]
        totals = format_duration(sum(today.values())), format_duration(sum(week.values()))
        if (shown := (*rows, totals)) == self._shown:
            return  # reads the same: no restyle, no repaint
        self._shown = shown
        table = Table(box=None, expand=True, padding=(0, 1))
        longest_name = max((len(name) for name, _ in phases), default=5)
        table.add_column("phase", no_wrap=True, min_width=longest_name + 2)
        table.add_column("today", justify="right", no_wrap=True)
        table.add_column("", ratio=1, no_wrap=True, overflow="crop", max_width=BAR_WIDTH)
        table.add_column("week", justify="right", no_wrap=True)
        for name, colour, is_current, today_text, filled, week_text in rows:
            label = Text(("▸ " if is_current else "  ") + name, style=f"bold {colour}")
            bar = Text("█" * filled + "·" * (BAR_WIDTH - filled), style=colour)
            table.add_row(label, today_text, bar, week_text)
        table.add_row(Text("  total", style="bold"), totals[0], "", totals[1])
        self.update(table)
