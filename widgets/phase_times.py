"""Time per phase, today and this week, as a plotext bar chart: two bars per phase.

Each phase takes two rows in its own colour: today's time as a solid bar, this week's as a
shaded one, both on one scale (the week includes today, so today's bar is the part of the
week spent today). The labels give the durations, the title the totals and the key, and
the current phase is marked with ▸. `phase_times_chart` is the pure drawing (rows and a
width in, Rich `Text` out); `PhaseTimes` is the thin widget that calls it only when its
data or its width changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from phase_tui.formatting import format_duration

TODAY_MARKER = "█"
WEEK_MARKER = "▒"
CURRENT_MARK = "▸ "
MIN_WIDTH = 12  # narrower than this, the labels alone would not fit: draw nothing


@dataclass(frozen=True)
class PhaseRow:
    """One phase as the chart shows it; the times are whole seconds, the colour "#rrggbb"."""

    name: str
    colour: str
    today_s: int
    week_s: int
    current: bool


def chart_height(phase_count: int) -> int:
    """Rows the chart needs: the title, then two rows per phase (one row when no phases)."""
    return 1 + 2 * phase_count


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """ "#rrggbb" as the (r, g, b) tuple plotext takes."""
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def phase_times_chart(rows: Sequence[PhaseRow], width: int) -> Text:
    """The chart of `rows`, `width` columns wide and `chart_height(len(rows))` rows high."""
    if not rows:
        return Text("no phases")
    if width < MIN_WIDTH:
        return Text("")
    import plotext as plt  # lazily: not before the first paint (it costs ~90 ms to import)

    figure = plt.figure
    figure.clear()  # plotext keeps one global figure: nothing from an earlier plot stays
    plt.terminal.limit(False, False)  # the widget, not the terminal plotext sees, sets the size
    figure.theme("simple")  # no background, frame text uncoloured: the widget's colours show
    figure.plot_size(width, chart_height(len(rows)))

    name_width = max(len(row.name) for row in rows) + len(CURRENT_MARK)
    durations = [(format_duration(row.today_s), format_duration(row.week_s)) for row in rows]
    duration_width = max(len(text) for pair in durations for text in pair)
    positions: list[int] = []
    lengths_s: list[int] = []
    markers: list[object] = []
    labels: list[object] = []
    for index, (row, (today_text, week_text)) in enumerate(zip(rows, durations, strict=True)):
        rgb = hex_to_rgb(row.colour)
        today_row = 2 * (len(rows) - index)  # the first phase on top; y grows upwards
        positions += [today_row, today_row - 1]
        lengths_s += [row.today_s, row.week_s]
        markers += [
            plt.marker(TODAY_MARKER, pixel=plt.pixel(foreground=rgb)),
            plt.marker(WEEK_MARKER, pixel=plt.pixel(foreground=rgb)),
        ]
        name = (CURRENT_MARK if row.current else " " * len(CURRENT_MARK)) + row.name
        style = "bold" if row.current else None
        labels += [
            plt.colorize(
                f"{name:<{name_width}} {today_text:>{duration_width}} ",
                pixel=plt.pixel(foreground=rgb, style=style),
            ),
            f"{'':<{name_width}} {week_text:>{duration_width}} ",
        ]
    # Half a row wide and centred on whole rows: each bar fills exactly its own row.
    figure.draw(figure.bar(positions, lengths_s, marker=markers, orientation="h", width=0.5))
    figure.ruler("y").ticks(positions, labels=labels)
    figure.ruler("y").lim(1, 2 * len(rows))
    figure.ruler("x").lim(0, max(*lengths_s, 1))
    figure.ruler("x").ticks([])  # the durations are in the labels: no time axis
    figure.axes(False)
    total_today = format_duration(sum(row.today_s for row in rows))
    total_week = format_duration(sum(row.week_s for row in rows))
    figure.title(f"{TODAY_MARKER} today {total_today}   {WEEK_MARKER} week {total_week}")
    return Text.from_ansi(figure.build().string().rstrip("\n"), no_wrap=True, overflow="crop")


class PhaseTimes(Widget):
    """`show(phases, today, week, current)` draws the chart; it sizes itself to the phases."""

    DEFAULT_CSS = """
    PhaseTimes { height: auto; padding: 0 1; }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: tuple[PhaseRow, ...] = ()
        self._drawn: tuple[tuple[object, ...], Text] | None = None

    def show(
        self,
        phases: Sequence[tuple[str, str]],
        today: Mapping[str, float],
        week: Mapping[str, float],
        current: str | None = None,
    ) -> None:
        """Draw `phases` (name, "#rrggbb") with their seconds today and this week."""
        rows = tuple(
            PhaseRow(
                name,
                colour,
                int(today.get(name, 0.0)),
                int(week.get(name, 0.0)),
                name == current,
            )
            for name, colour in phases
        )
        if rows == self._rows:
            return  # reads the same: no rebuild, no repaint
        resized = len(rows) != len(self._rows)
        self._rows = rows
        self.refresh(layout=resized)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return chart_height(len(self._rows))

    def render(self) -> Text:
        # Called on the UI thread when Textual repaints; the plot is built again only when
        # the rows or the width changed (a repaint for any other reason reuses it).
        key = (self._rows, self.content_size.width)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = key, phase_times_chart(self._rows, self.content_size.width)
        return self._drawn[1]
