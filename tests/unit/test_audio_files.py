"""Audio files for the audio tests, and what bare soundfile does with each damaged one.

The builders synthesise real files (numpy + soundfile) in a test's folder; the other
`test_audio_*` modules import them. The tests here pin down libsndfile's own behaviour
on the rows of HAZARDS.md "Reading audio", the behaviour `phase_tui.audio` corrects.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

RATE_HZ = 48000


def tone(
    seconds: float,
    rate_hz: int = RATE_HZ,
    channels: int = 1,
    amplitude: float = 0.5,
    freq_hz: float = 440.0,
) -> np.ndarray:
    """A sine of `amplitude` in every channel, shape (frames, channels), float64."""
    t_s = np.arange(round(seconds * rate_hz)) / rate_hz
    wave = amplitude * np.sin(2 * np.pi * freq_hz * t_s)
    return np.repeat(wave[:, np.newaxis], channels, axis=1)


def write(path: Path, data: np.ndarray, rate_hz: int = RATE_HZ, **kwargs: str) -> Path:
    """Write `data` with soundfile (format from the suffix unless given) and return `path`."""
    sf.write(path, data, rate_hz, **kwargs)
    return path


def data_size_offset(raw: bytes) -> int:
    """Byte offset of the size field of a WAV's `data` chunk."""
    return raw.index(b"data") + 4


def cut(path: Path, keep_bytes: int) -> Path:
    """Truncate the file at `path` to its first `keep_bytes`."""
    os.truncate(path, keep_bytes)
    return path


def header_claims(path: Path, claimed_s: float, present_s: float) -> Path:
    """A 16-bit mono WAV whose header declares `claimed_s` of audio but holds `present_s`."""
    raw = bytearray(write(path, tone(present_s), subtype="PCM_16").read_bytes())
    struct.pack_into("<I", raw, data_size_offset(raw), round(claimed_s * RATE_HZ) * 2)
    path.write_bytes(bytes(raw))
    return path


def never_finalised(path: Path, seconds: float = 1.0, size: int = 0, **kwargs: str) -> Path:
    """A WAV whose data size field still holds `size` (0, or the 0xFFFFFFFF placeholder)."""
    raw = bytearray(write(path, tone(seconds, channels=2), **kwargs).read_bytes())
    struct.pack_into("<I", raw, data_size_offset(raw), size)
    path.write_bytes(bytes(raw))
    return path


def text_named_mp3(path: Path) -> Path:
    """A text file that only pretends to be an MP3."""
    path.write_text("these are my lyrics, not an mp3\n" * 20)
    return path


def random_bytes(path: Path, size: int = 4096) -> Path:
    """Bytes from a fixed-seed generator, no audio format."""
    path.write_bytes(np.random.default_rng(7).bytes(size))
    return path


def test_bare_soundfile_refuses_empty_and_random_files(tmp_path: Path) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    for path in (tmp_path / "empty.wav", random_bytes(tmp_path / "noise.wav")):
        with pytest.raises(sf.LibsndfileError, match="Format not recognised"):
            sf.info(path)


def test_bare_soundfile_opens_a_header_only_wav_with_zero_frames(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.wav", np.zeros((0, 2)), subtype="PCM_16")
    assert path.stat().st_size == 44
    assert sf.info(path).frames == 0


def test_bare_soundfile_silently_cuts_a_truncated_wav(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.wav", tone(1.0), subtype="PCM_16")
    cut(path, 44 + 2 * 12000 + 1)  # a quarter of the data and half a frame
    assert sf.info(path).frames == 12000
    assert sf.info(header_claims(tmp_path / "claims.wav", 10.0, 0.1)).frames == 4800


def test_bare_soundfile_hides_audio_behind_an_unfinalised_header(tmp_path: Path) -> None:
    assert sf.info(never_finalised(tmp_path / "zero.wav")).frames == 0
    placeholder = never_finalised(tmp_path / "ff.wav", size=0xFFFFFFFF)
    assert sf.info(placeholder).frames == RATE_HZ  # this one libsndfile reads to the end


def test_bare_soundfile_misreports_text_named_mp3_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(sf.LibsndfileError, match="File does not exist or is not a regular"):
        sf.info(text_named_mp3(tmp_path / "lyrics.mp3"))
    with pytest.raises(sf.LibsndfileError, match="System error") as caught:
        sf.info(tmp_path / "missing.wav")
    assert not isinstance(caught.value, OSError)
