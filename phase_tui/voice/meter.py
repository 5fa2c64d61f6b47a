"""The HUD's memo slot as text: recording state, elapsed time and a live level meter."""

from __future__ import annotations

import math

from phase_tui.formatting import format_clock

METER_CELLS = 8
FLOOR_DB = -60.0
"""The meter's left end: quieter than this shows no bar."""


def level_bar(level_db: float, cells: int = METER_CELLS) -> str:
    """`█████░░░`: the level from FLOOR_DB (empty) to 0 dBFS (full)."""
    if math.isnan(level_db) or level_db <= FLOOR_DB:
        filled = 0
    else:
        filled = min(cells, math.ceil((level_db - FLOOR_DB) / -FLOOR_DB * cells))
    return "█" * filled + "░" * (cells - filled)


def recording_slot(elapsed_s: float, level_db: float) -> str:
    """`● REC 0:12 █████░░░` for the HUD while a memo records."""
    return f"● REC {format_clock(math.floor(elapsed_s))} {level_bar(level_db)}"
