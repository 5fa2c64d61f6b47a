"""Pitched instruments: a filtered saw or square bass line, and detuned-saw pads.

Bass notes follow the roots of a key's chord progression; pads play its chords in stereo,
each side with its own detuned voices, their phases drawn from the seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from phase_tui.demo.synth.dsp import add_wrapped, as_frames, gate_envelope, lowpass, normalise
from phase_tui.demo.synth.music import Key, bars_to_frames, midi_to_hz


def bass_notes(
    key: Key, bars: int, *, rhythm: str = "x.xx.xo.", octave: int = 1, bars_per_chord: int = 2
) -> list[int | None]:
    """A bass line following the roots of the key's progression, one step a rhythm character.

    `x` plays the chord root, `o` the root an octave up, `.` rests; the rhythm is one bar.
    """
    roots = [chord[0] for chord in key.progression(octave)]
    notes: list[int | None] = []
    for bar in range(bars):
        root = roots[(bar // bars_per_chord) % len(roots)]
        notes += [{"x": root, "o": root + 12}.get(step) for step in rhythm]
    return notes


def bass_line(
    notes: Sequence[int | None],
    bpm: float,
    sample_rate_hz: int,
    *,
    step_beats: float = 0.5,
    wave: str = "saw",
    cutoff_hz: float = 450.0,
    gate: float = 0.8,
    channels: int = 1,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """Render MIDI notes (None = rest), one per `step_beats`, as a filtered saw or square."""
    frames = round(len(notes) * step_beats * 60.0 / bpm * sample_rate_hz)
    step_frames = frames / max(len(notes), 1)
    note_frames = math.ceil(step_frames)
    rendered: dict[int, np.ndarray] = {}
    track = np.zeros(frames)
    for index, note in enumerate(notes):
        if note is None:
            continue
        if note not in rendered:
            rendered[note] = _bass_note(note, note_frames, gate, sample_rate_hz, wave, cutoff_hz)
        start = round(index * step_frames)
        length = min(round((index + 1) * step_frames), frames) - start
        track[start : start + length] += rendered[note][:length]
    return normalise(as_frames(track, channels), peak_dbfs)


def _bass_note(
    note: int, frames: int, gate: float, sample_rate_hz: int, wave: str, cutoff_hz: float
) -> np.ndarray:
    cycles = midi_to_hz(note) * np.arange(frames) / sample_rate_hz
    phase = cycles - np.floor(cycles)
    # Both waves start with a rising fundamental, so the added sine reinforces it.
    if wave == "saw":
        oscillator = 1.0 - 2.0 * phase
    elif wave == "square":
        oscillator = np.where(phase < 0.5, 1.0, -1.0)
    else:
        raise ValueError(f"unknown wave {wave!r}: use 'saw' or 'square'")
    body = 0.7 * oscillator + 0.5 * np.sin(2.0 * math.pi * phase)
    envelope = gate_envelope(frames, int(frames * gate), round(0.004 * sample_rate_hz))
    return lowpass(body * envelope, cutoff_hz, sample_rate_hz, poles=2)


def pad_chord(
    notes: Sequence[int],
    duration_s: float,
    sample_rate_hz: int,
    *,
    seed: int = 0,
    attack_s: float = 0.5,
    release_s: float = 1.0,
    detune_cents: float = 12.0,
    width: float = 0.8,
    cutoff_hz: float = 2500.0,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """One stereo pad chord of `duration_s`, its release inside that time."""
    frames = round(duration_s * sample_rate_hz)
    gate_frames = max(frames - round(release_s * sample_rate_hz), 1)
    voices = _chord_voices(
        notes, frames, gate_frames, sample_rate_hz, seed, attack_s, detune_cents, width, cutoff_hz
    )
    return normalise(voices, peak_dbfs)


def pad(
    chords: Sequence[Sequence[int]],
    bpm: float,
    sample_rate_hz: int,
    *,
    bars_per_chord: int = 2,
    seed: int = 0,
    attack_s: float = 0.6,
    release_s: float = 1.2,
    detune_cents: float = 12.0,
    width: float = 0.8,
    cutoff_hz: float = 2500.0,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """A stereo pad playing `chords` in turn, each `bars_per_chord` bars, looping seamlessly.

    Each channel has its own detuned saws, so left and right differ; `width` scales the
    difference (0 is mono). A chord's release rings over the start of the next one.
    """
    frames = bars_to_frames(len(chords) * bars_per_chord, bpm, sample_rate_hz)
    chord_frames = frames / len(chords)
    release_frames = round(release_s * sample_rate_hz)
    rendered: dict[tuple[int, ...], np.ndarray] = {}
    stereo = np.zeros((frames, 2))
    for index, chord in enumerate(chords):
        notes = tuple(chord)
        if notes not in rendered:
            gate_frames = math.ceil(chord_frames)
            rendered[notes] = _chord_voices(
                notes,
                gate_frames + release_frames,
                gate_frames,
                sample_rate_hz,
                seed,
                attack_s,
                detune_cents,
                width,
                cutoff_hz,
            )
        add_wrapped(stereo, rendered[notes], round(index * chord_frames))
    return normalise(stereo, peak_dbfs)


def _chord_voices(
    notes: Sequence[int],
    frames: int,
    gate_frames: int,
    sample_rate_hz: int,
    seed: int,
    attack_s: float,
    detune_cents: float,
    width: float,
    cutoff_hz: float,
) -> np.ndarray:
    """Two detuned saws a note on each side plus a centred sine, filtered and enveloped."""
    rng = np.random.default_rng([seed, *notes])
    t = np.arange(frames, dtype=np.float32) / np.float32(sample_rate_hz)
    left, right, centre, phase = (np.zeros(frames, dtype=np.float32) for _ in range(4))
    for note in notes:
        base_hz = midi_to_hz(note)
        for side, sign in ((left, -1.0), (right, 1.0)):
            for cents in (sign * detune_cents, -sign * detune_cents / 3.0):
                np.multiply(t, np.float32(base_hz * 2.0 ** (cents / 1200.0)), out=phase)
                phase += np.float32(rng.random())
                phase -= np.floor(phase)  # wrap to [0, 1); much faster than np.mod
                side += phase
        np.multiply(t, np.float32(2.0 * math.pi * base_hz), out=phase)
        centre += np.sin(phase, out=phase)
    sides = np.stack([left, right], axis=1)
    # Each saw is 2 * phase - 1: the sum of the -1s is a constant, removed here at once.
    sides = 2.0 * sides - 2 * len(notes)
    mid = sides.mean(axis=1, keepdims=True)
    stereo = mid + width * (sides - mid) + 0.8 * centre[:, None]
    envelope = gate_envelope(frames, gate_frames, round(attack_s * sample_rate_hz))
    return lowpass(
        stereo * envelope[:, None].astype(np.float32), cutoff_hz, sample_rate_hz, poles=2
    )
