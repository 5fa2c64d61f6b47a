"""A form map as a timeline: one block per section, as wide as its bars, coloured by energy.

The block's colour runs from the theme's quiet colour (energy 1) to its hot one (energy
10); the label says the role and the bars. The selected section is marked under its block.
Redraws only when the map, the selection or the width change.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual.widget import Widget

from phase_tui.builder.form_map import MAX_ENERGY, MIN_ENERGY, FormMap

MARK = "▲"


def block_widths(bars: list[int], width: int) -> list[int]:
    """Cells per section: proportional to bars, at least one each, summing to `width`
    (fewer cells than sections: one each, cut at the edge)."""
    if not bars:
        return []
    total = sum(bars) or 1
    edges = [round(sum(bars[: i + 1]) * width / total) for i in range(len(bars))]
    widths = [max(edge - start, 1) for start, edge in zip([0, *edges[:-1]], edges, strict=True)]
    while sum(widths) > width and max(widths) > 1:  # the minimum of one cell overflowed
        widths[widths.index(max(widths))] -= 1
    return widths


class FormTimeline(Widget):
    """`show(form, selected)`: the sections of `form`, section `selected` marked."""

    DEFAULT_CSS = """
    FormTimeline { height: 3; }
    FormTimeline > .form-timeline--quiet { background: $primary-darken-3; color: $text; }
    FormTimeline > .form-timeline--hot { background: $error; color: $text; }
    FormTimeline > .form-timeline--mark { color: $warning; }
    """
    COMPONENT_CLASSES = {"form-timeline--quiet", "form-timeline--hot", "form-timeline--mark"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.form: FormMap | None = None
        self.selected: int | None = None
        self.span_bars: int | None = None
        self._drawn: tuple[tuple[object, ...], list[Strip]] | None = None

    def show(
        self, form: FormMap | None, selected: int | None = None, span_bars: int | None = None
    ) -> None:
        """Draw `form`; with `span_bars` (e.g. the longer of two maps compared), the width
        stands for that many bars, so two timelines share one scale."""
        self.form, self.selected, self.span_bars = form, selected, span_bars
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key = (self.form, self.selected, self.span_bars, width, self.size.height)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._draw(width))
        lines = self._drawn[1]
        return lines[y] if y < len(lines) else Strip.blank(width)

    def _draw(self, width: int) -> list[Strip]:
        if self.form is None or not self.form.sections or width < 1:
            return []
        sections = self.form.sections
        span = max(self.span_bars or 0, self.form.total_bars, 1)
        used = max(round(width * self.form.total_bars / span), len(sections))
        widths = block_widths([section.bars for section in sections], min(used, width))
        blocks, marks = [], []
        for index, (section, cells) in enumerate(zip(sections, widths, strict=True)):
            style = self._energy_style(section.energy)
            label = f" {section.role} {section.bars}"[:cells].ljust(cells)
            blocks.append(Segment(label, style))
            mark = (MARK if index == self.selected else " ").center(cells)
            marks.append(Segment(mark, self.get_component_rich_style("form-timeline--mark")))
        top = [
            Segment(" " * cells, self._energy_style(s.energy))
            for s, cells in zip(sections, widths, strict=True)
        ]
        return [
            Strip(top).crop(0, width),
            Strip(blocks).crop(0, width),
            Strip(marks).crop(0, width),
        ]

    def _energy_style(self, energy: int) -> Style:
        quiet = self.get_component_rich_style("form-timeline--quiet")
        hot = self.get_component_rich_style("form-timeline--hot")
        share = (min(max(energy, MIN_ENERGY), MAX_ENERGY) - MIN_ENERGY) / (MAX_ENERGY - MIN_ENERGY)
        low, high = Color.from_rich_color(quiet.bgcolor), Color.from_rich_color(hot.bgcolor)
        return quiet + Style(bgcolor=low.blend(high, share).rich_color)
