"""Drums: synthesized kick, snare and hi-hat, 16th-step patterns, and loops built from them.

The kick is a sine falling in pitch; snare and hats are filtered noise, so they depend on
the seed. Every part of a loop has its own random stream and wraps its tails to the start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from phase_tui.demo.synth.dsp import add_wrapped, as_frames, fade, lowpass, normalise, pan_gains
from phase_tui.demo.synth.music import STEPS_PER_BAR, bars_to_frames

DRUM_PARTS = ("kick", "snare", "hats")


def kick(
    sample_rate_hz: int,
    *,
    duration_s: float = 0.5,
    start_hz: float = 160.0,
    end_hz: float = 45.0,
    pitch_decay_s: float = 0.035,
    amp_decay_s: float = 0.16,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """A kick drum: a sine whose pitch falls exponentially from `start_hz` to `end_hz`."""
    t = np.arange(round(duration_s * sample_rate_hz)) / sample_rate_hz
    freq_hz = end_hz + (start_hz - end_hz) * np.exp(-t / pitch_decay_s)
    phase = 2.0 * math.pi * np.cumsum(freq_hz) / sample_rate_hz
    body = np.sin(phase) * np.exp(-t / amp_decay_s)
    return normalise(fade(body, sample_rate_hz, out_s=0.01)[:, None], peak_dbfs)


def snare(
    sample_rate_hz: int,
    *,
    seed: int = 0,
    duration_s: float = 0.3,
    tone_hz: float = 185.0,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """A snare drum: a high-passed noise burst over a short, slightly falling tone."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(duration_s * sample_rate_hz)) / sample_rate_hz
    noise = rng.standard_normal(len(t))
    noise = noise - lowpass(noise, 1200.0, sample_rate_hz)
    tone = np.sin(2.0 * math.pi * tone_hz * t * (1.0 - 0.15 * t)) * np.exp(-t / 0.05)
    body = 0.35 * noise * np.exp(-t / 0.09) + 0.8 * tone
    return normalise(fade(body, sample_rate_hz, out_s=0.01)[:, None], peak_dbfs)


def hat(
    sample_rate_hz: int,
    *,
    seed: int = 0,
    duration_s: float = 0.2,
    decay_s: float = 0.025,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """A closed hi-hat: white noise, high-passed twice, with a fast exponential decay."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(duration_s * sample_rate_hz)) / sample_rate_hz
    noise = rng.standard_normal(len(t))
    for _ in range(2):
        noise = noise - lowpass(noise, 6000.0, sample_rate_hz)
    return normalise(
        fade(noise * np.exp(-t / decay_s), sample_rate_hz, out_s=0.005)[:, None], peak_dbfs
    )


@dataclass(frozen=True)
class DrumPattern:
    """Hits on 16th-note steps, one string per part, 16 characters a bar.

    `x` is a full hit, `o` a soft (ghost) hit, `.` a rest; a pattern repeats to fill a loop.
    """

    name: str
    kick: str
    snare: str
    hats: str


FOUR_ON_THE_FLOOR = DrumPattern(
    "four-on-the-floor",
    kick="x...x...x...x...",
    snare="....x.......x...",
    hats="o.x.o.x.o.x.o.x.",
)
BREAKBEAT = DrumPattern(
    "breakbeat",
    kick="x.x.......xx....x.x.......x.....",
    snare="....x..o.o..x..o....x..o.o..x.o.",
    hats="x.x.x.x.x.x.x.x.",
)
TWO_STEP = DrumPattern(
    "two-step",
    kick="x.........x.....",
    snare="....x.......x...",
    hats="x.xox.x.x.xox.xo",
)
_HIT_VELOCITY = {"x": 1.0, "o": 0.4}
# Stereo position of each part: -1 left, 0 centre, 1 right.
PART_PAN = {"kick": 0.0, "snare": 0.05, "hats": 0.3}


def drum_loop(
    pattern: DrumPattern,
    bars: int,
    bpm: float,
    sample_rate_hz: int,
    *,
    seed: int = 0,
    channels: int = 2,
    parts: Sequence[str] = DRUM_PARTS,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """`bars` bars of `pattern` at `bpm`, hats a little right; it loops seamlessly."""
    frames = bars_to_frames(bars, bpm, sample_rate_hz)
    stereo = np.zeros((frames, 2), dtype=np.float32)
    for part, track in drum_parts(
        pattern, bars, bpm, sample_rate_hz, seed=seed, parts=parts
    ).items():
        left_gain, right_gain = pan_gains(PART_PAN[part])
        stereo[:, 0] += track * left_gain
        stereo[:, 1] += track * right_gain
    return normalise(as_frames(stereo, channels), peak_dbfs)


def drum_parts(
    pattern: DrumPattern,
    bars: int,
    bpm: float,
    sample_rate_hz: int,
    *,
    seed: int = 0,
    parts: Sequence[str] = DRUM_PARTS,
) -> dict[str, np.ndarray]:
    """Each part of `pattern` alone, mono 1-D float32, unnormalised (a full hit peaks near 0.9).

    Tails of the last hits wrap round to the start, so the parts loop seamlessly. Each part
    has its own random stream (noise and small velocity changes), so a part sounds the same
    whether it is rendered alone or with the others.
    """
    frames = bars_to_frames(bars, bpm, sample_rate_hz)
    step_frames = frames / (bars * STEPS_PER_BAR)
    makers = {
        "kick": lambda: kick(sample_rate_hz),
        "snare": lambda: snare(sample_rate_hz, seed=seed),
        "hats": lambda: hat(sample_rate_hz, seed=seed, duration_s=0.12),
    }
    tracks: dict[str, np.ndarray] = {}
    for part in parts:
        sound = makers[part]()[:, 0]
        rng = np.random.default_rng([seed, DRUM_PARTS.index(part)])
        hits = getattr(pattern, part)
        track = np.zeros(frames, dtype=np.float32)
        for step in range(bars * STEPS_PER_BAR):
            velocity = _HIT_VELOCITY.get(hits[step % len(hits)], 0.0)
            if velocity:
                loudness = velocity * rng.uniform(0.85, 1.0)
                add_wrapped(track, sound * loudness, round(step * step_frames))
        tracks[part] = track
    return tracks
