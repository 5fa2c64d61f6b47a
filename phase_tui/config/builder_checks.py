"""`[builder]`'s tempo range, checked as a whole: the slowest tempo may not exceed the
fastest, and a whole bpm must lie between them (the generator draws whole bpm)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from phase_tui.config.report import Report
from phase_tui.config.settings import BuilderSettings


def check_tempo_range(
    settings: BuilderSettings, given: Mapping[str, object], report: Report
) -> None:
    """Report a tempo range with no whole bpm, at the bound the file sets (`given`)."""
    low, high = settings.tempo_min_bpm, settings.tempo_max_bpm
    if math.ceil(low) <= math.floor(high):
        return
    key = "tempo_max_bpm" if "tempo_max_bpm" in given else "tempo_min_bpm"
    report.add(
        ("builder", key),
        f"`builder.tempo_min_bpm` ({low:g}) to `builder.tempo_max_bpm` ({high:g}) holds no "
        "whole bpm: the fastest must be at least the slowest",
    )
