"""Arranged tracks: sections that bring layers in and out, rendered into one piece of audio.

Each layer (drum parts, bass, pad) is synthesized for one `CYCLE_BARS` loop, tiled to the
track's length, then gated and levelled by section, so the energy rises and falls the way
loudness and section detection expect of real music.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from phase_tui.demo.synth.drums import (
    DRUM_PARTS,
    FOUR_ON_THE_FLOOR,
    PART_PAN,
    DrumPattern,
    drum_parts,
)
from phase_tui.demo.synth.dsp import as_frames, db_to_gain, fade, normalise, pan_gains
from phase_tui.demo.synth.music import STEPS_PER_BAR, Key, bars_to_frames
from phase_tui.demo.synth.tones import bass_line, bass_notes, pad

LAYERS = (*DRUM_PARTS, "bass", "pad")
CYCLE_BARS = 8  # every layer of a track repeats within this many bars
_SMOOTHING_S = 0.005  # ramp on every gain change, so layers enter and leave without clicks
_CONTROL_FRAMES = 32  # track gains change once a block of this many frames


@dataclass(frozen=True)
class Section:
    """A part of an arrangement: its bars, the layers that play, and its level.

    The level ramps from `level_db` to `end_level_db` across the section when given
    (a build rising, an outro fading).
    """

    name: str
    bars: int
    layers: tuple[str, ...]
    level_db: float = 0.0
    end_level_db: float | None = None


@dataclass(frozen=True)
class SectionSpan:
    """Where a section landed in a rendered track, in frames."""

    name: str
    start_frame: int
    end_frame: int


@dataclass(frozen=True)
class Track:
    """A rendered arrangement: its audio and where each section is."""

    audio: np.ndarray
    sample_rate_hz: int
    bpm: float
    key: Key
    sections: tuple[SectionSpan, ...]

    @property
    def duration_s(self) -> float:
        return len(self.audio) / self.sample_rate_hz

    def section_audio(self, name: str) -> np.ndarray:
        """The audio of the first section called `name`."""
        span = next(span for span in self.sections if span.name == name)
        return self.audio[span.start_frame : span.end_frame]


# Quiet pad, a rising build, a loud drop with everything, a pad-only breakdown, a fading outro.
STANDARD_ARRANGEMENT = (
    Section("intro", 4, ("pad",), -14.0),
    Section("build", 4, ("pad", "kick", "hats"), -10.0, -3.0),
    Section("drop", 8, LAYERS, 0.0),
    Section("breakdown", 4, ("pad",), -12.0),
    Section("outro", 4, ("pad", "kick", "hats"), -6.0, -40.0),
)
DEFAULT_MIX_DB: Mapping[str, float] = {
    "kick": -3.0,
    "snare": -6.0,
    "hats": -15.0,
    "bass": -6.0,
    "pad": -9.0,
}


def render_track(
    sections: Sequence[Section],
    *,
    bpm: float,
    key: Key,
    sample_rate_hz: int,
    seed: int = 0,
    pattern: DrumPattern = FOUR_ON_THE_FLOOR,
    mix_db: Mapping[str, float] = DEFAULT_MIX_DB,
    channels: int = 2,
    peak_dbfs: float = -1.0,
) -> Track:
    """Render an arrangement: each layer loops for the whole length, gated and levelled by
    section, then summed, faded at the ends and normalised.

    Every layer repeats within `CYCLE_BARS` bars, so one cycle is synthesized and tiled:
    a long track costs little more than a short one.
    """
    cycle_steps = CYCLE_BARS * STEPS_PER_BAR
    if any(cycle_steps % len(getattr(pattern, part)) for part in DRUM_PARTS):
        raise ValueError(f"pattern {pattern.name!r} does not repeat within {CYCLE_BARS} bars")
    unknown = {layer for section in sections for layer in section.layers} - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layers {sorted(unknown)}: use {', '.join(LAYERS)}")
    frames = bars_to_frames(sum(section.bars for section in sections), bpm, sample_rate_hz)
    spans = _section_spans(sections, bpm, sample_rate_hz)
    gains = _layer_gains(sections, spans, mix_db, frames, sample_rate_hz)
    used = [layer for layer in LAYERS if any(layer in section.layers for section in sections)]
    cycles = _stem_cycles(used, bpm, key, sample_rate_hz, seed, pattern)
    stereo = np.zeros((frames, 2), dtype=np.float32)
    for layer, cycle in cycles.items():
        reps = math.ceil(frames / len(cycle))
        stem = np.tile(cycle, (reps, 1) if cycle.ndim == 2 else reps)[:frames]
        if stem.ndim == 2:
            stereo += stem * gains[layer][:, None]
        else:
            shaped = stem * gains[layer]
            left_gain, right_gain = pan_gains(PART_PAN.get(layer, 0.0))
            stereo[:, 0] += shaped * left_gain
            stereo[:, 1] += shaped * right_gain
    audio = fade(as_frames(stereo, channels), sample_rate_hz, in_s=0.01, out_s=1.0)
    return Track(normalise(audio, peak_dbfs), sample_rate_hz, bpm, key, spans)


def _section_spans(
    sections: Sequence[Section], bpm: float, sample_rate_hz: int
) -> tuple[SectionSpan, ...]:
    spans: list[SectionSpan] = []
    bar = 0
    for section in sections:
        start = bars_to_frames(bar, bpm, sample_rate_hz)
        bar += section.bars
        spans.append(SectionSpan(section.name, start, bars_to_frames(bar, bpm, sample_rate_hz)))
    return tuple(spans)


def _layer_gains(
    sections: Sequence[Section],
    spans: Sequence[SectionSpan],
    mix_db: Mapping[str, float],
    frames: int,
    sample_rate_hz: int,
) -> dict[str, np.ndarray]:
    """Per-frame gain of each layer, computed a block of `_CONTROL_FRAMES` at a time and
    smoothed over `_SMOOTHING_S`, so layers enter and leave without clicks."""
    blocks = frames // _CONTROL_FRAMES + 1
    used = {layer for section in sections for layer in section.layers}
    block_gains = {layer: np.zeros(blocks) for layer in LAYERS if layer in used}
    for section, span in zip(sections, spans, strict=True):
        first, last = span.start_frame // _CONTROL_FRAMES, span.end_frame // _CONTROL_FRAMES
        end_db = section.level_db if section.end_level_db is None else section.end_level_db
        level = 10.0 ** (np.linspace(section.level_db, end_db, last - first) / 20.0)
        for layer in section.layers:
            block_gains[layer][first:last] = level * db_to_gain(mix_db[layer])
    width = max(1, round(_SMOOTHING_S * sample_rate_hz / _CONTROL_FRAMES))
    kernel = np.full(width, 1.0 / width)
    gains: dict[str, np.ndarray] = {}
    for layer, gain in block_gains.items():
        padded = np.pad(gain, (width // 2, width - 1 - width // 2), mode="edge")
        smooth = np.convolve(padded, kernel, mode="valid").astype(np.float32)
        gains[layer] = np.repeat(smooth, _CONTROL_FRAMES)[:frames]
    return gains


def _stem_cycles(
    layers: Sequence[str],
    bpm: float,
    key: Key,
    sample_rate_hz: int,
    seed: int,
    pattern: DrumPattern,
) -> dict[str, np.ndarray]:
    """One `CYCLE_BARS` loop of each layer, peak 1: drums and bass mono, the pad stereo."""
    frames = bars_to_frames(CYCLE_BARS, bpm, sample_rate_hz)
    parts = [layer for layer in layers if layer in DRUM_PARTS]
    cycles = drum_parts(pattern, CYCLE_BARS, bpm, sample_rate_hz, seed=seed, parts=parts)
    if "bass" in layers:
        notes = bass_notes(key, CYCLE_BARS)
        cycles["bass"] = bass_line(notes, bpm, sample_rate_hz)[:, 0]
    if "pad" in layers:
        cycles["pad"] = pad(key.progression(octave=3, size=4), bpm, sample_rate_hz, seed=seed)
    return {layer: _fit(normalise(cycle, 0.0), frames) for layer, cycle in cycles.items()}


def _fit(audio: np.ndarray, frames: int) -> np.ndarray:
    """Trim or pad with silence to exactly `frames` frames."""
    if len(audio) >= frames:
        return audio[:frames]
    padding = np.zeros((frames - len(audio), *audio.shape[1:]), dtype=audio.dtype)
    return np.concatenate([audio, padding])
