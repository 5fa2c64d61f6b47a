"""Sections of a piece of audio: where its intro, build, drop, breakdown and outro lie.

A section map comes from the bounce's form map (bars x tempo -> seconds) when one is
linked, otherwise it is detected from the audio's energy. Either way it is a list of
`Section`s in time order, which the waveform widget, the loudness plot and the PNG art
draw as coloured bands with labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One section: a stable `id` (the same audio gives the same ids, so a label edited by
    hand stays attached), a `label` such as "intro" or "drop", where it starts and ends,
    and its `energy` from 0 (the quietest section) to 1 (the loudest)."""

    id: str
    label: str
    start_s: float
    end_s: float
    energy: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s
