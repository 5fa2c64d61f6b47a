"""The lines above and below a waveform: section labels, and a time ruler with ticks at a
round interval labelled m:ss.

Shared by the waveform widget and `phase-os wave`. The ruler's interval is the smallest
round one (0.1 s .. 10 min) that leaves room for every label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from phase_tui.audio.sections import Section

INTERVALS_S = (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600)
TICK = "╵"


def time_label(seconds: float, interval_s: float) -> str:
    """`1:05`, or `1:05.5` when the ticks are less than a second apart."""
    minutes, rest = divmod(seconds, 60.0)
    if interval_s < 1:
        return f"{int(minutes)}:{rest:04.1f}"
    return f"{int(minutes)}:{int(round(rest)):02d}"


def ruler_text(start_s: float, span_s: float, width: int) -> str:
    """`width` characters covering [start_s, start_s + span_s): a tick and its label at
    each multiple of the interval."""
    if width <= 0 or span_s <= 0:
        return " " * max(width, 0)
    cell_s = span_s / width
    label_cells = len(time_label(start_s + span_s, 1.0)) + 3
    interval_s = next((i for i in INTERVALS_S if i / cell_s >= label_cells), INTERVALS_S[-1])
    cells = [" "] * width
    first = math.ceil(start_s / interval_s - 1e-9)
    last = math.ceil((start_s + span_s) / interval_s - 1e-9)
    for tick in range(first, last):
        tick_s = tick * interval_s
        at = int((tick_s - start_s) / cell_s)
        label = TICK + time_label(tick_s, interval_s)
        if at + len(label) <= width:
            cells[at : at + len(label)] = label
        elif at < width:
            cells[at] = TICK
    return "".join(cells)


def section_labels(
    sections: Sequence[Section], start_s: float, span_s: float, width: int, mark: str = ""
) -> tuple[str, list[int]]:
    """`width` characters with each visible section's label (after `mark`) from the cell
    where it starts, cut before the next one; and per cell, 0 outside every section, else
    1 or 2 alternating from section to section (for coloured bands)."""
    cells, bands = [" "] * width, [0] * width
    if width <= 0 or span_s <= 0:
        return "".join(cells), bands
    cell_s = span_s / width
    for index, section in enumerate(sections):
        if section.end_s <= start_s or section.start_s >= start_s + span_s:
            continue
        first = max(int((section.start_s - start_s) / cell_s), 0)
        last = min(int((section.end_s - start_s) / cell_s), width)
        label = (mark + section.label)[: max(last - first - 1, 0)]
        cells[first : first + len(label)] = label
        bands[first:last] = [1 + index % 2] * (last - first)
    return "".join(cells), bands
