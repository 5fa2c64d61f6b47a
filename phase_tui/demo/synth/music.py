"""Musical time and pitch: bars to frames at a tempo, MIDI notes to Hz, keys and chords."""

from __future__ import annotations

import re
from dataclasses import dataclass

BEATS_PER_BAR = 4
STEPS_PER_BAR = 16

_PITCH_CLASSES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_MINOR_STEPS = (0, 2, 3, 5, 7, 8, 10)
_MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
# Scale degrees of a four-chord loop: i-VI-III-VII in minor, I-V-vi-IV in major.
_MINOR_PROGRESSION = (0, 5, 2, 6)
_MAJOR_PROGRESSION = (0, 4, 5, 3)


def bars_to_frames(bars: float, bpm: float, sample_rate_hz: int) -> int:
    """Frames in `bars` bars of 4/4 at `bpm`: bars * 4 * 60 / bpm * sample rate, rounded."""
    return round(bars * BEATS_PER_BAR * 60.0 / bpm * sample_rate_hz)


def midi_to_hz(note: float) -> float:
    """Frequency of a MIDI note number (69 = A4 = 440 Hz)."""
    return 440.0 * 2.0 ** ((note - 69) / 12)


@dataclass(frozen=True)
class Key:
    """A musical key: root pitch class (0 = C) and mode."""

    root: int
    minor: bool

    @classmethod
    def parse(cls, name: str) -> Key:
        """Read `Fm`, `F#m`, `Ebmin`, `Eb`, `Cmaj`: a trailing `m`/`min` means minor."""
        match = re.fullmatch(r"([A-G])([#b]?)(m|min|maj)?", name.strip())
        if match is None:
            raise ValueError(f"not a key name: {name!r}")
        letter, accidental, mode = match.groups()
        offset = {"#": 1, "b": -1}.get(accidental, 0)
        return cls((_PITCH_CLASSES[letter] + offset) % 12, mode in ("m", "min"))

    @property
    def name(self) -> str:
        """Short name, black keys spelled with flats: `Fm`, `Eb`, `Gbm`."""
        return _FLAT_NAMES[self.root] + ("m" if self.minor else "")

    def note(self, degree: int, octave: int) -> int:
        """MIDI number of a scale degree (0 = root; 7 = root an octave up) in an octave."""
        steps = _MINOR_STEPS if self.minor else _MAJOR_STEPS
        octaves, index = divmod(degree, len(steps))
        return 12 * (octave + 1 + octaves) + self.root + steps[index]

    def chord(self, degree: int, octave: int, size: int = 3) -> tuple[int, ...]:
        """The chord built in thirds on a scale degree (3 = triad, 4 = seventh)."""
        return tuple(self.note(degree + 2 * i, octave) for i in range(size))

    def progression(self, octave: int, size: int = 3) -> tuple[tuple[int, ...], ...]:
        """A four-chord loop in this key."""
        degrees = _MINOR_PROGRESSION if self.minor else _MAJOR_PROGRESSION
        return tuple(self.chord(degree, octave, size) for degree in degrees)
