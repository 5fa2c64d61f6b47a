"""The demo's sample crate, one-shots and loops named by tempo and key, and a playlist."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import soundfile as sf

from phase_tui.atomic import atomic_write_text
from phase_tui.demo import synth
from phase_tui.demo.audio_files import audio_file
from phase_tui.demo.step import DemoContext, DemoFile
from phase_tui.demo.synth import BREAKBEAT, FOUR_ON_THE_FLOOR, TWO_STEP, Key

CRATE_FOLDER = "crates/demo-crate"
PLAYLIST_PATH = "crates/demo.m3u"
_PLAYLIST_NAMES = (
    "loop_dnb_174bpm_Fm.wav",
    "loop_house_124bpm_Am.wav",
    "pad_loop_90bpm_Eb.wav",
    "bass_stab_F.wav",
    "kick_punchy.wav",
)


def _bass_stab(seed: int, sample_rate_hz: int) -> np.ndarray:
    return synth.bass_line(
        [Key.parse("F").note(0, 2)],
        120.0,
        sample_rate_hz,
        step_beats=1.0,
        gate=0.6,
        cutoff_hz=900.0,
    )


def _groove(
    pattern: synth.DrumPattern,
    bpm: float,
    key: str,
    bars: int,
    rhythm: str,
    seed: int,
    sample_rate_hz: int,
) -> np.ndarray:
    """Drums and bass, looping seamlessly (no fades)."""
    drums = synth.drum_loop(pattern, bars, bpm, sample_rate_hz, seed=seed)
    notes = synth.bass_notes(Key.parse(key), bars, rhythm=rhythm)
    bass = synth.bass_line(notes, bpm, sample_rate_hz, step_beats=4.0 / len(rhythm))
    return synth.mix([drums, bass], [-2.0, -4.0])


def _crate_entries() -> tuple[tuple[str, Callable[[int, int], np.ndarray], int, str], ...]:
    """(file name, render, sample rate, subtype) of every crate file."""
    am_chord = Key.parse("Am").chord(0, 3, size=4)
    eb_chords = Key.parse("Eb").progression(3, size=4)
    return (
        ("kick_punchy.wav", lambda seed, sr: synth.kick(sr), 44100, "PCM_16"),
        ("snare_tight.wav", lambda seed, sr: synth.snare(sr, seed=seed), 44100, "PCM_16"),
        ("hat_closed.wav", lambda seed, sr: synth.hat(sr, seed=seed), 48000, "PCM_24"),
        ("bass_stab_F.wav", _bass_stab, 44100, "PCM_16"),
        (
            "pad_chord_Am.wav",
            lambda seed, sr: synth.pad_chord(am_chord, 3.0, sr, seed=seed),
            48000,
            "PCM_24",
        ),
        (
            "loop_house_124bpm_Am.wav",
            partial(_groove, FOUR_ON_THE_FLOOR, 124.0, "Am", 4, "x.xx.xo."),
            44100,
            "PCM_16",
        ),
        (
            "loop_dnb_174bpm_Fm.wav",
            partial(_groove, TWO_STEP, 174.0, "Fm", 4, "x..x..x.x..x.x.."),
            44100,
            "PCM_16",
        ),
        (
            "loop_garage_132bpm_Gm.aiff",
            partial(_groove, BREAKBEAT, 132.0, "Gm", 2, "x..o..x."),
            44100,
            "PCM_16",
        ),
        (
            "loop_breaks_96bpm.wav",
            lambda seed, sr: synth.drum_loop(BREAKBEAT, 2, 96.0, sr, seed=seed),
            44100,
            "PCM_24",
        ),
        (
            "bass_loop_128bpm_Cm.wav",
            lambda seed, sr: synth.bass_line(
                synth.bass_notes(Key.parse("Cm"), 4), 128.0, sr, wave="square"
            ),
            44100,
            "PCM_16",
        ),
        (
            "pad_loop_90bpm_Eb.wav",
            lambda seed, sr: synth.pad(eb_chords, 90.0, sr, bars_per_chord=1, seed=seed),
            44100,
            "PCM_16",
        ),
        (
            "hats_loop_140bpm.flac",
            lambda seed, sr: synth.drum_loop(TWO_STEP, 2, 140.0, sr, seed=seed, parts=("hats",)),
            44100,
            "PCM_16",
        ),
    )


def crate_files(context: DemoContext) -> list[DemoFile]:
    """One-shots (0.1-3 s) and 2-8 bar loops in `crates/demo-crate/`."""
    return [
        audio_file(f"{CRATE_FOLDER}/{name}", render, sample_rate_hz, subtype, context.seed)
        for name, render, sample_rate_hz, subtype in _crate_entries()
    ]


def playlist_files(context: DemoContext) -> list[DemoFile]:
    """`crates/demo.m3u`: some crate files by path relative to the playlist."""

    def write(path: Path) -> str:
        lines = ["#EXTM3U"]
        for name in _PLAYLIST_NAMES:
            audio_path = context.studio.root / CRATE_FOLDER / name
            if audio_path.is_file():
                duration_s = sf.info(str(audio_path)).duration
                lines += [
                    f"#EXTINF:{round(duration_s)},{audio_path.stem}",
                    f"{Path(CRATE_FOLDER).name}/{name}",
                ]
        atomic_write_text(path, "\n".join(lines) + "\n")
        return f"{(len(lines) - 1) // 2} entries"

    return [DemoFile(PLAYLIST_PATH, write)]
