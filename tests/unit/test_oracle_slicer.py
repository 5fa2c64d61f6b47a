"""The slicer: sample-exact regions, click-free fades, formats kept, edges snapped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.oracle.slicer import (
    beat_frames,
    safe_stem,
    save_slice,
    snap_region,
    snap_to_beat,
    snap_to_zero_crossing,
)

RATE = 8000


def counter(frames: int, channels: int = 2) -> np.ndarray:
    """Each frame's value says its index (the second channel negated): int16 units."""
    values = np.arange(frames, dtype=np.int32) - frames // 2
    return np.stack([values * (1 - 2 * c) for c in range(channels)], axis=1).astype(np.int16)


def write_counter(path: Path, subtype: str = "PCM_16", fmt: str = "WAV", rate: int = RATE) -> Path:
    data = counter(3 * rate)
    if subtype == "FLOAT":
        sf.write(path, data.astype(np.float32) / 32768, rate, subtype=subtype, format=fmt)
    else:
        sf.write(path, data, rate, subtype=subtype, format=fmt)
    return path


def read_exact(path: Path) -> np.ndarray:
    """Samples bit for bit: int32 for PCM, float32 for float files."""
    dtype = "float32" if sf.info(str(path)).subtype == "FLOAT" else "int32"
    return sf.read(path, dtype=dtype, always_2d=True)[0]


@pytest.mark.parametrize(
    ("fmt", "subtype", "suffix"),
    [
        ("WAV", "PCM_16", ".wav"),
        ("WAV", "PCM_24", ".wav"),
        ("WAV", "FLOAT", ".wav"),
        ("FLAC", "PCM_16", ".flac"),
        ("FLAC", "PCM_24", ".flac"),
        ("AIFF", "PCM_16", ".aiff"),
        ("AIFF", "PCM_24", ".aif"),
    ],
)
def test_a_slice_is_sample_exact_and_keeps_the_format(
    tmp_path: Path, fmt: str, subtype: str, suffix: str
) -> None:
    source = write_counter(tmp_path / f"drums{suffix}", subtype, fmt)
    start, end = snap_region(source, 0.5, 1.5, "off", None)
    assert (start, end) == (4000, 12000)
    saved = save_slice(source, start, end, tmp_path / "slices", fade_ms=5.0)
    assert saved.name == f"drums 0.00-0.01{suffix}"
    info, original = sf.info(str(saved)), sf.info(str(source))
    assert (info.format, info.subtype, info.samplerate, info.channels) == (
        original.format,
        original.subtype,
        original.samplerate,
        original.channels,
    )
    got, want = read_exact(saved), read_exact(source)[start:end]
    assert len(got) == end - start
    fade = round(0.005 * RATE)
    assert np.array_equal(got[fade:-fade], want[fade:-fade])
    assert not np.array_equal(got[:fade], want[:fade])  # faded, not copied
    assert [p.name for p in (tmp_path / "slices").iterdir()] == [saved.name]  # no temp left


def test_fades_start_and_end_at_silence_without_a_click(tmp_path: Path) -> None:
    rate = 44100
    source = tmp_path / "pad.wav"
    sf.write(source, np.full((rate, 2), 0.5, dtype=np.float32), rate, subtype="FLOAT")
    saved = save_slice(source, 1000, 30000, tmp_path, fade_ms=5.0)
    got = sf.read(saved, dtype="float32", always_2d=True)[0][:, 0]
    fade = round(0.005 * rate)
    assert abs(got[0]) < 1e-6 and abs(got[-1]) < 1e-6
    assert np.all(np.diff(got[: fade + 1]) >= 0) and np.all(np.diff(got[-fade - 1 :]) <= 0)
    assert np.allclose(got[fade:-fade], 0.5)
    jumps = np.abs(np.diff(got))
    assert jumps[: fade + 2].max() < 0.01 and jumps[-fade - 2 :].max() < 0.01


def test_a_fade_is_shorter_than_half_a_short_slice(tmp_path: Path) -> None:
    source = tmp_path / "tick.wav"
    sf.write(source, np.full(1000, 0.5, dtype=np.float32), RATE, subtype="FLOAT")
    got = sf.read(save_slice(source, 100, 110, tmp_path, fade_ms=50.0), dtype="float32")[0]
    assert len(got) == 10 and got[0] == 0 and got[-1] == 0 and got.max() > 0.4


def test_names_are_unique_and_safe(tmp_path: Path) -> None:
    source = write_counter(tmp_path / "kick.wav")
    first = save_slice(source, 8000, 9000, tmp_path / "out")
    second = save_slice(source, 8000, 9000, tmp_path / "out")
    third = save_slice(source, 8000, 9000, tmp_path / "out")
    assert [first.name, second.name, third.name] == [
        "kick 0.01-0.01.wav",
        "kick 0.01-0.01 2.wav",
        "kick 0.01-0.01 3.wav",
    ]
    assert safe_stem("..a\\b:c*\x00") == "a_b_c__" and safe_stem("...") == "untitled"
    assert len(safe_stem("x" * 400).encode()) <= 150


def test_an_mp3_source_is_written_as_flac(tmp_path: Path) -> None:
    source = tmp_path / "loop.mp3"
    sf.write(source, counter(RATE * 2).astype(np.float32) / 65536, 44100, format="MP3")
    saved = save_slice(source, 0, 10000, tmp_path / "slices")
    assert saved.suffix == ".flac" and sf.info(str(saved)).format == "FLAC"
    assert sf.info(str(saved)).channels == 2 and sf.info(str(saved)).samplerate == 44100


def test_an_unreadable_source_is_unreadable_audio(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio at all, just words " * 10)
    (tmp_path / "empty.wav").write_bytes(b"")
    for path in (text, tmp_path / "empty.wav", tmp_path / "missing.wav", tmp_path):
        with pytest.raises(UnreadableAudio):
            save_slice(path, 0, 10, tmp_path / "out")
        with pytest.raises(UnreadableAudio):
            snap_region(path, 0.0, 1.0, "off", None)
    source = write_counter(tmp_path / "a.wav")
    with pytest.raises(ValueError, match="not a region"):
        save_slice(source, 100, 100, tmp_path / "out")
    with pytest.raises(ValueError, match="not a region"):
        save_slice(source, 0, 10**9, tmp_path / "out")


def sine(frames: int) -> np.ndarray:
    """100 Hz at 8 kHz, half a frame late: it crosses zero just before frames 40, 80, ..."""
    return np.sin(2 * np.pi * 100 * (np.arange(frames) + 0.5) / RATE)


def test_the_zero_crossing_snap_finds_the_nearest_crossing() -> None:
    wave = sine(400)
    assert snap_to_zero_crossing(wave, 47, 10) == 40
    assert snap_to_zero_crossing(wave, 75, 10) == 80
    assert snap_to_zero_crossing(wave, 60, 5) == 60  # none within reach
    assert snap_to_zero_crossing(np.stack([wave, wave], axis=1), 33, 10) == 40
    assert snap_to_zero_crossing(np.array([1.0, 2.0, 0.0, 3.0, 4.0]), 4, 3) == 2
    assert snap_to_zero_crossing(np.array([1.0, 2.0, 3.0]), 0, 5) == 0


def test_snap_region_snaps_to_zero_crossings_in_the_file(tmp_path: Path) -> None:
    source = tmp_path / "sine.wav"
    sf.write(source, sine(RATE), RATE, subtype="FLOAT")
    assert snap_region(source, 47 / RATE, 75 / RATE, "zero", None) == (40, 80)
    assert snap_region(source, 47 / RATE, 75 / RATE, "off", None) == (47, 75)


def test_the_beat_snap_follows_a_120_bpm_grid(tmp_path: Path) -> None:
    assert beat_frames(120, 44100) == 22050
    assert snap_to_beat(30000, 120, 44100) == 22050
    assert snap_to_beat(34000, 120, 44100) == 44100
    assert snap_to_beat(30000, 120, 44100, offset_frames=1000) == 23050
    source = tmp_path / "beat.wav"
    sf.write(source, np.zeros(3 * 44100, dtype=np.float32), 44100, subtype="FLOAT")
    assert snap_region(source, 0.4, 1.2, "beat", 120) == (22050, 44100)
    assert snap_region(source, -1.0, 99.0, "off", None) == (0, 3 * 44100)  # clamped
    with pytest.raises(ValueError, match="needs the tempo"):
        snap_region(source, 0.4, 1.2, "beat", None)
    with pytest.raises(ValueError, match="empty once snapped"):
        snap_region(source, 0.1, 0.2, "beat", 120)
    with pytest.raises(ValueError, match="must be before"):
        snap_region(source, 1.2, 0.4, "off", None)
    with pytest.raises(ValueError, match="unknown snap"):
        snap_region(source, 0.4, 1.2, "grid", None)
