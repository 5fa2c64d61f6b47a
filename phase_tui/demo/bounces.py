"""The demo's bounces: one track in three versions, and three more tracks.

They vary like real exports do: mono and stereo, 22.05 to 48 kHz, WAV, FLAC, AIFF, OGG
and MP3, sketches and a loud master.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

from phase_tui.demo import synth
from phase_tui.demo.audio_files import audio_file
from phase_tui.demo.step import DemoContext, DemoFile
from phase_tui.demo.synth import BREAKBEAT, FOUR_ON_THE_FLOOR, Key, Section

SPIKE_BPM, SPIKE_KEY = 126.0, "A minor"
_SPIKE = partial(synth.render_track, bpm=SPIKE_BPM, key=Key.parse("Am"), pattern=FOUR_ON_THE_FLOOR)
_LOOP_LAYERS = ("kick", "snare", "hats", "bass")


# The three arrangements of "memory spike" (its form maps in the demo follow them):
SPIKE_V1 = (  # a sketch: short build and breakdown
    Section("intro", 2, ("pad",), -14.0),
    Section("build", 2, ("pad", "kick", "hats"), -8.0, -3.0),
    Section("drop", 8, synth.LAYERS, 0.0),
    Section("breakdown", 2, ("pad",), -12.0),
    Section("outro", 2, ("pad", "kick", "hats"), -6.0, -40.0),
)
SPIKE_V2 = synth.STANDARD_ARRANGEMENT
_intro, _build, _drop, _breakdown, _outro = SPIKE_V2
SPIKE_FINAL = (  # a second, shorter build and drop
    _intro,
    _build,
    _drop,
    _breakdown,
    replace(_build, bars=2),
    _drop,
    replace(_outro, bars=2),
)


def _memory_spike_v1(seed: int, sample_rate_hz: int) -> np.ndarray:
    """A mono sketch: the bass still too quiet."""
    mix_db = {**synth.DEFAULT_MIX_DB, "bass": -14.0, "hats": -11.0}
    return _SPIKE(
        SPIKE_V1, sample_rate_hz=sample_rate_hz, seed=seed, mix_db=mix_db, channels=1
    ).audio


def _memory_spike_v2(seed: int, sample_rate_hz: int) -> np.ndarray:
    return _SPIKE(SPIKE_V2, sample_rate_hz=sample_rate_hz, seed=seed).audio


def _memory_spike_final(seed: int, sample_rate_hz: int) -> np.ndarray:
    """The master, saturated to be loud."""
    track = _SPIKE(SPIKE_FINAL, sample_rate_hz=sample_rate_hz, seed=seed)
    return synth.soft_clip(track.audio, drive_db=6.0, peak_dbfs=-0.3)


def _frag_loop_finale(seed: int, sample_rate_hz: int) -> np.ndarray:
    """A short lo-fi fragment: breakbeat and bass, mono."""
    sections = (Section("loop", 4, _LOOP_LAYERS, 0.0),)
    return synth.render_track(
        sections,
        bpm=96.0,
        key=Key.parse("Fm"),
        pattern=BREAKBEAT,
        sample_rate_hz=sample_rate_hz,
        seed=seed,
        channels=1,
    ).audio


def _night_drive(seed: int, sample_rate_hz: int) -> np.ndarray:
    sections = (
        Section("intro", 2, ("pad",), -12.0),
        Section("drop", 6, synth.LAYERS, 0.0),
        Section("breakdown", 2, ("pad", "hats"), -12.0),
        Section("drop", 4, synth.LAYERS, 0.0),
        Section("outro", 2, ("pad",), -8.0, -40.0),
    )
    return synth.render_track(
        sections,
        bpm=100.0,
        key=Key.parse("Dm"),
        pattern=BREAKBEAT,
        sample_rate_hz=sample_rate_hz,
        seed=seed,
    ).audio


def _glass_pads(seed: int, sample_rate_hz: int) -> np.ndarray:
    """Pads alone: a swell, a bloom and a long fade."""
    sections = (
        Section("swell", 2, ("pad",), -16.0, -2.0),
        Section("bloom", 2, ("pad",), -2.0),
        Section("fade", 2, ("pad",), -2.0, -36.0),
    )
    return synth.render_track(
        sections, bpm=80.0, key=Key.parse("Eb"), sample_rate_hz=sample_rate_hz, seed=seed
    ).audio


_BOUNCES = (  # name, render, rate, subtype, exported this many hours before the demo
    ("memory-spike.wav", _memory_spike_v1, 44100, "FLOAT", 74.0),
    ("memory-spike-v2.wav", _memory_spike_v2, 44100, "PCM_16", 27.5),
    ("Memory Spike (final).flac", _memory_spike_final, 44100, "PCM_24", 0.5),
    ("frag-loop-finale.mp3", _frag_loop_finale, 22050, "MPEG_LAYER_III", 51.0),
    ("night-drive.ogg", _night_drive, 48000, "VORBIS", 21.0),
    ("glass-pads v3.aiff", _glass_pads, 44100, "PCM_16", 2.0),
)


def bounce_files(context: DemoContext) -> list[DemoFile]:
    """Finished exports in `bounces/`: versions of one track and three other tracks, dated
    over the last few days as a real export folder is."""
    now = time.time()
    return [
        _exported_at(
            audio_file(f"bounces/{name}", render, sample_rate_hz, subtype, context.seed),
            now - hours_ago * 3600,
        )
        for name, render, sample_rate_hz, subtype, hours_ago in _BOUNCES
    ]


def _exported_at(demo_file: DemoFile, when: float) -> DemoFile:
    """The same file, its modification time set to `when` once written."""

    def write(path: Path) -> str:
        described = demo_file.write(path)
        os.utime(path, (when, when))
        return described

    return DemoFile(demo_file.relative_path, write)
