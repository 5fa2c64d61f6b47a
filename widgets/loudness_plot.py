"""Loudness over time: a plotext line plot of a bounce's level with its sections marked.

The level (dBFS or LUFS, the y axis says "dB") is drawn against an m:ss time axis; each
section boundary is a dotted vertical line and each section's label sits above the frame
where it starts; an optional cursor is a solid line drawn over the level. Silence (-inf,
NaN, anything below the floor) is drawn on the floor: plotext itself must never see -inf
(its C kernel aborts the process). Long inputs are reduced to their loudest point per half
cell before plotting, so a plot costs the same for a 30 s loop and a 30 min mix.

`loudness_chart` is the pure drawing (data, size and colours in, Rich `Text` out);
`LoudnessPlot` is the thin widget that calls it only when its data, its size, its colours
or the cell the cursor is in changed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from phase_tui.audio.sections import Section
from phase_tui.formatting import format_clock

FLOOR_DB = -60.0
POINTS_PER_CELL = 2  # the line is drawn in "hd" dots: two across a cell
TIME_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)
LEVEL_STEPS_DB = (3, 6, 12, 20, 30)
TICK_SPACING_CELLS = 8  # an m:ss label and room around it
FRAME_CELLS = 2

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class PlotColours:
    """The colours of the level line, the section lines and the cursor (None: uncoloured)."""

    line: RGB | None = None
    section: RGB | None = None
    cursor: RGB | None = None


def clamp_levels(level_db: np.ndarray, floor_db: float = FLOOR_DB) -> np.ndarray:
    """`level_db` with silence (-inf, anything quieter than `floor_db`) and what is no level
    at all (NaN, +inf) on the floor."""
    levels = np.asarray(level_db, dtype=float)
    return np.where(np.isfinite(levels), np.maximum(levels, floor_db), floor_db)


def envelope(times_s: np.ndarray, level_db: np.ndarray, count: int) -> tuple[np.ndarray, ...]:
    """At most `count` points: the loudest level of each run of neighbours, at its start."""
    if len(times_s) <= count:
        return times_s, level_db
    starts = np.linspace(0, len(times_s), count, endpoint=False).astype(int)
    return times_s[starts], np.maximum.reduceat(level_db, starts)


def plot_end_s(times_s: np.ndarray, sections: Sequence[Section]) -> float:
    """Where the time axis ends: the last level or the last section end (1 s at least)."""
    end_s = max(float(times_s[-1]), *(section.end_s for section in sections), 0.0)
    return end_s if end_s > 0 else 1.0


def nice_step(span: float, most: int, steps: Sequence[float]) -> float:
    """The smallest of `steps` that puts at most `most` ticks over `span`."""
    return next((step for step in steps if span / step <= most), steps[-1])


def loudness_chart(
    times_s: np.ndarray,
    level_db: np.ndarray,
    sections: Sequence[Section],
    cursor_s: float | None,
    width: int,
    height: int,
    colours: PlotColours = PlotColours(),
) -> Text:
    """The plot of `level_db` over `times_s`, `width` x `height` cells."""
    import plotext as plt  # lazily: not before the first paint (it costs ~90 ms to import)

    def pixel(rgb: RGB | None) -> object:
        return plt.pixel(foreground=rgb) if rgb else plt.pixel()

    levels = clamp_levels(level_db)
    end_s = plot_end_s(times_s, sections)
    top_db = max(0.0, math.ceil(float(levels.max())))
    level_labels_width = len(f"{FLOOR_DB:.0f}") + 1
    plot_cells = max(width - level_labels_width - FRAME_CELLS, 1)
    plot_rows = max(height - 5, 1)  # less the section labels, frame, time labels and "dB"

    figure = plt.figure
    figure.clear()  # plotext keeps one global figure: nothing from an earlier plot stays
    plt.terminal.limit(False, False)  # the widget, not the terminal plotext sees, sets the size
    figure.theme("simple")  # no background, frame text uncoloured: the widget's colours show
    figure.plot_size(width, height)

    marker = plt.marker("hd", pixel(colours.line))
    x, y = envelope(np.asarray(times_s, dtype=float), levels, plot_cells * POINTS_PER_CELL)
    figure.draw(figure.signal(x.tolist(), y.tolist(), marker=marker).lines())
    if cursor_s is not None and 0.0 <= cursor_s <= end_s:  # drawn after the level: on top
        cursor = plt.line(1, pixel(colours.cursor))
        figure.draw(figure.segment((cursor_s, cursor_s), (FLOOR_DB, top_db), marker=cursor))

    boundaries_s = sorted({s.start_s for s in sections} | {s.end_s for s in sections})
    for boundary_s in boundaries_s:
        if 0.0 < boundary_s < end_s:
            figure.line(boundary_s, orientation="v", pixel=pixel(colours.section), style="dotted")
    cell_s = end_s / plot_cells
    labels = [
        (s.start_s, s.label[: max(int(s.duration_s / cell_s) - 1, 1)])
        for s in sections
        if 0.0 <= s.start_s < end_s
    ]
    upper = figure.ruler("x", "upper")
    upper.lim(0.0, end_s)
    upper.ticks([start for start, _ in labels], labels=[label for _, label in labels])
    upper.alignment(tick="left")

    time_step_s = nice_step(end_s, max(plot_cells // TICK_SPACING_CELLS, 1), TIME_STEPS_S)
    time_ticks_s = np.arange(0.0, end_s + 1e-9, time_step_s).tolist()
    figure.ruler("x").lim(0.0, end_s)
    figure.ruler("x").ticks(time_ticks_s, labels=[format_clock(t) for t in time_ticks_s])
    level_step_db = nice_step(top_db - FLOOR_DB, max(plot_rows // 2, 1), LEVEL_STEPS_DB)
    level_ticks_db = np.arange(top_db, FLOOR_DB - 1e-9, -level_step_db).tolist()
    figure.ruler("y").lim(FLOOR_DB, top_db)
    figure.ruler("y").ticks(level_ticks_db, labels=[f"{level:.0f}" for level in level_ticks_db])
    figure.label("dB", axis="y")
    return Text.from_ansi(figure.build().string().rstrip("\n"), no_wrap=True, overflow="crop")


class LoudnessPlot(Widget):
    """`show(times_s, level_db, sections, cursor_s)` draws the level; "no audio" when empty."""

    DEFAULT_CSS = """
    LoudnessPlot { height: 12; min-height: 6; color: $text-muted; }
    LoudnessPlot > .loudness-plot--line { color: $primary; }
    LoudnessPlot > .loudness-plot--section { color: $secondary; }
    LoudnessPlot > .loudness-plot--cursor { color: $warning; }
    """
    COMPONENT_CLASSES = {"loudness-plot--line", "loudness-plot--section", "loudness-plot--cursor"}
    NO_AUDIO = "no audio"

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._times_s = np.zeros(0)
        self._level_db = np.zeros(0)
        self._sections: tuple[Section, ...] = ()
        self._cursor_s: float | None = None
        self._version = 0  # counts the changes of the data (not of the cursor)
        self._drawn: tuple[tuple[object, ...], Text] | None = None

    def show(
        self,
        times_s: np.ndarray,
        level_db: np.ndarray,
        sections: Sequence[Section],
        cursor_s: float | None = None,
    ) -> None:
        """Draw `level_db` (one value per time in `times_s`) with `sections` and a cursor."""
        if len(times_s) != len(level_db):
            raise ValueError(f"{len(times_s)} times for {len(level_db)} levels")
        sections = tuple(sections)
        same_data = (
            np.array_equal(times_s, self._times_s)
            and np.array_equal(level_db, self._level_db, equal_nan=True)
            and sections == self._sections
        )
        if same_data and self._cursor_cell(cursor_s) == self._cursor_cell(self._cursor_s):
            self._cursor_s = cursor_s
            return  # the plot would look the same: no rebuild, no repaint
        if not same_data:
            self._times_s = np.array(times_s, dtype=float)  # copies: the caller may reuse its
            self._level_db = np.array(level_db, dtype=float)
            self._sections = sections
            self._version += 1
        self._cursor_s = cursor_s
        self.refresh()

    def _cursor_cell(self, cursor_s: float | None) -> int | None:
        """The cell of the content width the cursor falls in (a finer move looks the same)."""
        if cursor_s is None or not len(self._times_s):
            return None
        end_s = plot_end_s(self._times_s, self._sections)
        return round(cursor_s / end_s * self.content_size.width)

    def _rgb(self, component: str) -> RGB | None:
        """The (r, g, b) of a component class's colour (from the theme), for plotext."""
        colour = self.get_component_rich_style(component).color
        if colour is None:
            return None
        triplet = colour.get_truecolor()
        return triplet.red, triplet.green, triplet.blue

    def render(self) -> Text:
        # Called on the UI thread when Textual repaints; the plot is built again only when
        # something it shows changed (a repaint for any other reason reuses it).
        if not len(self._times_s):
            return Text(self.NO_AUDIO, style=Style(italic=True))
        width, height = self.content_size
        colours = PlotColours(
            self._rgb("loudness-plot--line"),
            self._rgb("loudness-plot--section"),
            self._rgb("loudness-plot--cursor"),
        )
        cursor_cell = self._cursor_cell(self._cursor_s)
        key = (self._version, width, height, cursor_cell, colours)
        if self._drawn is None or self._drawn[0] != key:
            chart = loudness_chart(
                self._times_s,
                self._level_db,
                self._sections,
                self._cursor_s,
                width,
                height,
                colours,
            )
            self._drawn = key, chart
        return self._drawn[1]
