"""The waveform widget: peaks drawn in braille or blocks, a section map, a cursor, a selection.

Reusable: it knows nothing of bounces or samples. Give it `Peaks` (any object with
`duration_s` and `columns(start_s, end_s, count)`) and `Section`s; it draws from the peaks'
pyramid at any width and zoom without touching audio, and redraws only when the view, the
data or its size change. The top row labels the sections, the bottom row is a time ruler;
section bands, the RMS core, cursor and selection are component classes styled from the
theme. Keys move the cursor, zoom around it, scroll, and select with shift (the slicer's
region); it posts `CursorMoved` and `SelectionChanged`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from phase_tui.audio.braille import BRAILLE_STYLE, columns_per_cell, draw_waveform
from phase_tui.audio.ruler import ruler_text, section_labels
from phase_tui.audio.sections import Section
from phase_tui.audio.viewport import Viewport


class PeakSource(Protocol):
    """What the widget draws from (`phase_tui.audio.peaks.Peaks` is one)."""

    @property
    def duration_s(self) -> float: ...

    def columns(self, start_s: float, end_s: float, count: int) -> _Columns: ...


class _Columns(Protocol):
    minimum: np.ndarray
    maximum: np.ndarray
    rms: np.ndarray


@dataclass(frozen=True)
class _Drawn:
    """The strips of one drawing, and what they were drawn for."""

    key: tuple[object, ...]
    lines: list[Strip]


class Waveform(Widget, can_focus=True):
    """A waveform with its section map; `show(peaks, sections)`, or `show_progress(f)` and
    `show_message(text)` while there is nothing to draw."""

    DEFAULT_CSS = """
    Waveform { height: 12; min-height: 4; }
    Waveform > .waveform--wave { color: $primary; }
    Waveform > .waveform--rms { color: $accent; }
    Waveform > .waveform--band-a { background: $boost; }
    Waveform > .waveform--band-b { background: $panel; }
    Waveform > .waveform--label { color: $text-muted; text-style: bold; }
    Waveform > .waveform--ruler { color: $text-muted; }
    Waveform > .waveform--selection { background: $secondary 45%; }
    Waveform > .waveform--cursor { background: $warning; color: $background; }
    Waveform > .waveform--message { color: $text-muted; }
    """
    COMPONENT_CLASSES = {
        "waveform--wave",
        "waveform--rms",
        "waveform--band-a",
        "waveform--band-b",
        "waveform--label",
        "waveform--ruler",
        "waveform--selection",
        "waveform--cursor",
        "waveform--message",
    }
    BINDINGS = [
        Binding("left", "move(-1)", "back", show=False, id="waveform.left"),
        Binding("right", "move(1)", "on", show=False, id="waveform.right"),
        Binding("shift+left", "select(-1)", "select", id="waveform.select_left"),
        Binding("shift+right", "select(1)", "select", show=False, id="waveform.select_right"),
        Binding("plus,equals_sign", "zoom(0.5)", "zoom in", id="waveform.zoom_in"),
        Binding("minus", "zoom(2)", "zoom out", id="waveform.zoom_out"),
        Binding("pageup,comma", "scroll(-0.5)", "scroll", show=False, id="waveform.scroll_back"),
        Binding("pagedown,full_stop", "scroll(0.5)", "scroll", show=False, id="waveform.scroll_on"),
        Binding("home", "jump(0)", "start", show=False, id="waveform.home"),
        Binding("end", "jump(1)", "end", show=False, id="waveform.end"),
        Binding("escape", "clear_selection", "unselect", show=False, id="waveform.unselect"),
    ]

    class CursorMoved(Message):
        """The cursor is now at `cursor_s`."""

        def __init__(self, cursor_s: float) -> None:
            super().__init__()
            self.cursor_s = cursor_s

    class SelectionChanged(Message):
        """The selected region is now `selection` ((start_s, end_s), or None)."""

        def __init__(self, selection: tuple[float, float] | None) -> None:
            super().__init__()
            self.selection = selection

    def __init__(self, style: str = BRAILLE_STYLE, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.wave_style = style
        self.peaks: PeakSource | None = None
        self.sections: tuple[Section, ...] = ()
        self.viewport = Viewport(0.0)
        self._message = "no audio"
        self._drawn: _Drawn | None = None

    # ------------------------------------------------------------------ feeding
    def show(self, peaks: PeakSource, sections: Sequence[Section] = ()) -> None:
        """Draw `peaks` with their `sections`, the whole length in view."""
        self.peaks, self.sections = peaks, tuple(sections)
        self.viewport = Viewport(peaks.duration_s)
        self.refresh()

    def show_sections(self, sections: Sequence[Section]) -> None:
        """Replace the section map (e.g. once a form map is linked)."""
        self.sections = tuple(sections)
        self.refresh()

    def show_progress(self, fraction: float) -> None:
        """Nothing to draw yet: say how far the peaks are."""
        self.show_message(f"reading the audio… {fraction:.0%}")

    def show_message(self, text: str) -> None:
        """Nothing to draw: show `text` instead (an error, "no audio")."""
        self.peaks, self._message = None, text
        self.refresh()

    # ------------------------------------------------------------------ keys
    def action_move(self, cells: int) -> None:
        self._set_view(self.viewport.moved(cells * self._cell_s()))

    def action_select(self, cells: int) -> None:
        self._set_view(self.viewport.selecting(cells * self._cell_s()))

    def action_zoom(self, factor: float) -> None:
        self._set_view(self.viewport.zoomed(factor))

    def action_scroll(self, pages: float) -> None:
        self._set_view(self.viewport.scrolled(pages))

    def action_jump(self, to_end: int) -> None:
        self._set_view(self.viewport.jumped(self.viewport.duration_s * to_end))

    def action_clear_selection(self) -> None:
        self._set_view(self.viewport.cleared())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape clears a selection; with none, it goes to the screen (e.g. back)."""
        return action != "clear_selection" or self.viewport.selection is not None

    def set_cursor(self, cursor_s: float) -> None:
        """Put the cursor at `cursor_s` (e.g. the playback position), keeping it in view."""
        self._set_view(self.viewport.jumped(cursor_s))

    def _set_view(self, viewport: Viewport) -> None:
        before, self.viewport = self.viewport, viewport
        if viewport.cursor_s != before.cursor_s:
            self.post_message(self.CursorMoved(viewport.cursor_s))
        if viewport.selection != before.selection:
            self.post_message(self.SelectionChanged(viewport.selection))
        self.refresh()

    def _cell_s(self) -> float:
        return self.viewport.span_s / max(self.size.width, 1)

    # ------------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        lines = self._lines()
        return lines[y] if y < len(lines) else Strip.blank(self.size.width)

    def _lines(self) -> list[Strip]:
        width, height = self.size
        key = (width, height, self.peaks, self.sections, self.viewport, self.wave_style)
        key += (self._message,)
        if self._drawn is None or self._drawn.key != key:
            self._drawn = _Drawn(key, self._draw(width, height))
        return self._drawn.lines

    def _draw(self, width: int, height: int) -> list[Strip]:
        if self.peaks is None or width < 1 or height < 1:
            return self._message_lines(width, height)
        view = self.viewport
        framed = height >= 4  # room for the label row and the ruler
        wave_rows = height - 2 if framed else height
        count = width * columns_per_cell(self.wave_style)
        columns = self.peaks.columns(view.start_s, view.end_s, count)
        wave = draw_waveform(
            columns.minimum, columns.maximum, columns.rms, wave_rows, self.wave_style
        )
        cell_s = view.span_s / width
        centres_s = view.start_s + (np.arange(width) + 0.5) * cell_s
        labels, bands = section_labels(self.sections, view.start_s, view.span_s, width)
        band = np.array(bands)
        lines = [
            self._wave_line(row, wave.inner[y], band, centres_s, cell_s)
            for y, row in enumerate(wave.rows)
        ]
        if framed:
            lines.insert(0, self._label_line(labels, bands))
            ruler = ruler_text(view.start_s, view.span_s, width)
            lines.append(Strip([Segment(ruler, self.get_component_rich_style("waveform--ruler"))]))
        return lines

    def _wave_line(
        self, row: str, inner: np.ndarray, band: np.ndarray, centres_s: np.ndarray, cell_s: float
    ) -> Strip:
        view = self.viewport
        selection = view.selection
        selected = (
            (centres_s >= selection[0]) & (centres_s < selection[1])
            if selection
            else np.zeros(len(row), bool)
        )
        cursor = np.abs(centres_s - view.cursor_s) <= cell_s / 2
        code = inner.astype(int) + 2 * band + 6 * selected + 12 * cursor
        cuts = [0, *(np.flatnonzero(np.diff(code)) + 1).tolist(), len(row)]
        return Strip([Segment(row[a:b], self._cell_style(int(code[a]))) for a, b in pairwise(cuts)])

    def _cell_style(self, code: int) -> Style:
        """The style of a cell from its code: inner + 2 * band + 6 * selected + 12 * cursor."""
        get = self.get_component_rich_style
        style = get("waveform--rms" if code % 2 else "waveform--wave")
        band = (code // 2) % 3
        if band:
            style += Style(bgcolor=get(f"waveform--band-{'ab'[band - 1]}").bgcolor)
        if (code // 6) % 2:
            style += Style(bgcolor=get("waveform--selection").bgcolor)
        if code >= 12:
            style += get("waveform--cursor")
        return style

    def _label_line(self, labels: str, bands: list[int]) -> Strip:
        """The section labels, each on its band's colour."""
        get = self.get_component_rich_style
        label = get("waveform--label")
        looks = [
            label,
            label + Style(bgcolor=get("waveform--band-a").bgcolor),
            label + Style(bgcolor=get("waveform--band-b").bgcolor),
        ]
        cuts = [0, *(i for i in range(1, len(bands)) if bands[i] != bands[i - 1]), len(bands)]
        return Strip([Segment(labels[a:b], looks[bands[a]]) for a, b in pairwise(cuts)])

    def _message_lines(self, width: int, height: int) -> list[Strip]:
        style = self.get_component_rich_style("waveform--message")
        text = self._message[:width].center(width)
        blank = Strip.blank(width)
        return [Strip([Segment(text, style)]) if y == height // 2 else blank for y in range(height)]
