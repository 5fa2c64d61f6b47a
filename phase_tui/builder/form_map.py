"""A form map: the arrangement blueprint of a track, section by section.

Each section has a role (intro, build, drop...), a length in bars, an energy from 1 to 10
and density/instrumentation hints; the map has the track's tempo, key and time signature.
Immutable. Its content hash (XXH3-128 of the canonical JSON of what the music is: track,
tempo, key, metre, sections) names a version: the same arrangement always hashes the same,
whatever seed or template made it and whichever sections are locked for re-rolls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import xxhash

from phase_tui.audio.sections import Section
from phase_tui.builder.templates import ROLES

__all__ = ["ROLES", "FormMap", "FormSection", "MAX_ENERGY", "MIN_ENERGY"]

MIN_ENERGY, MAX_ENERGY = 1, 10


@dataclass(frozen=True)
class FormSection:
    """One section of a form map. `locked` keeps it as it is when the rest is re-rolled."""

    role: str
    bars: int
    energy: int
    density: str = ""  # e.g. "sparse", "full"
    instruments: tuple[str, ...] = ()
    locked: bool = False

    def content(self) -> dict[str, Any]:
        """What the section is, musically (no lock)."""
        return {
            "role": self.role,
            "bars": self.bars,
            "energy": self.energy,
            "density": self.density,
            "instruments": list(self.instruments),
        }


@dataclass(frozen=True)
class FormMap:
    """A track's arrangement: sections in order, tempo, key, time signature, and how it was
    made (`template`, `seed`: the same seed and settings give the same map)."""

    track: str
    tempo_bpm: float
    key: str  # e.g. "A minor"
    beats_per_bar: int
    sections: tuple[FormSection, ...]
    template: str = ""
    seed: int | None = None
    beat_unit: int = 4
    notes: str = field(default="", compare=False)

    @property
    def total_bars(self) -> int:
        return sum(section.bars for section in self.sections)

    @property
    def bar_s(self) -> float:
        """Seconds per bar (a beat is a quarter note at `tempo_bpm`, scaled to the unit)."""
        return self.beats_per_bar * (60.0 / self.tempo_bpm) * (4 / self.beat_unit)

    @property
    def duration_s(self) -> float:
        return self.total_bars * self.bar_s

    def time_signature(self) -> str:
        return f"{self.beats_per_bar}/{self.beat_unit}"

    def as_sections(self, offset_s: float = 0.0) -> list[Section]:
        """The map as a section overlay for a waveform: bars x tempo -> seconds, from
        `offset_s` (where bar 1 starts in the audio)."""
        found, start_bar = [], 0
        for index, section in enumerate(self.sections):
            start_s = offset_s + start_bar * self.bar_s
            end_s = start_s + section.bars * self.bar_s
            energy = (section.energy - MIN_ENERGY) / (MAX_ENERGY - MIN_ENERGY)
            found.append(Section(f"f{index + 1:02d}", section.role, start_s, end_s, energy))
            start_bar += section.bars
        return found

    def content(self) -> dict[str, Any]:
        """What the arrangement is: the part of the map its hash covers."""
        return {
            "track": self.track,
            "tempo_bpm": self.tempo_bpm,
            "key": self.key,
            "time_signature": self.time_signature(),
            "sections": [section.content() for section in self.sections],
        }

    def content_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return xxhash.xxh3_128(canonical.encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """Everything, for `forms/` files and the Store (human-readable, round-trips)."""
        return {
            **self.content(),
            "sections": [
                {**section.content(), "locked": section.locked} for section in self.sections
            ],
            "template": self.template,
            "seed": self.seed,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormMap:
        """The map `to_json` wrote; raises ValueError naming what is wrong."""
        try:
            beats, unit = (int(part) for part in str(data["time_signature"]).split("/"))
            sections = tuple(
                FormSection(
                    role=str(item["role"]),
                    bars=int(item["bars"]),
                    energy=int(item["energy"]),
                    density=str(item.get("density", "")),
                    instruments=tuple(str(i) for i in item.get("instruments", ())),
                    locked=bool(item.get("locked", False)),
                )
                for item in data["sections"]
            )
            return cls(
                track=str(data["track"]),
                tempo_bpm=float(data["tempo_bpm"]),
                key=str(data["key"]),
                beats_per_bar=beats,
                beat_unit=unit,
                sections=sections,
                template=str(data.get("template", "")),
                seed=None if data.get("seed") is None else int(data["seed"]),
                notes=str(data.get("notes", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a form map: {error!r}") from error

    def with_section(self, index: int, section: FormSection) -> FormMap:
        """The map with section `index` replaced (an edit by hand)."""
        sections = list(self.sections)
        sections[index] = section
        return replace(self, sections=tuple(sections))
