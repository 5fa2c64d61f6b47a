"""`quick_fields`: plain WAV and FLAC headers read directly say what libsndfile says."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.chunks import find_data_chunk, read_head
from phase_tui.audio.headers import HeaderFields, quick_fields
from tests.unit.test_audio_files import cut, header_claims, never_finalised, tone, write
from tests.unit.test_audio_probe import format_cases


def read_directly(path: Path) -> HeaderFields | None:
    fd = os.open(path, os.O_RDONLY)
    try:
        head = read_head(fd)
        return quick_fields(head, find_data_chunk(fd, head), os.fstat(fd).st_size)
    finally:
        os.close(fd)


def fields(path: Path) -> tuple[HeaderFields | None, HeaderFields]:
    """(the header read directly, or None; the header libsndfile reads)."""
    with sf.SoundFile(path) as sound:
        full = HeaderFields(
            sound.format, sound.subtype, sound.samplerate, sound.channels, sound.frames
        )
    return read_directly(path), full


@pytest.mark.parametrize(("suffix", "fmt", "subtype", "rate_hz", "channels"), format_cases())
def test_every_format_is_read_directly_or_left_to_libsndfile(
    tmp_path: Path, suffix: str, fmt: str, subtype: str, rate_hz: int, channels: int
) -> None:
    data = tone(0.5, rate_hz, channels)
    path = write(tmp_path / f"bounce.{suffix}", data, rate_hz, format=fmt, subtype=subtype)
    quick, full = fields(path)
    assert quick == (full if fmt in {"WAV", "WAVEX", "FLAC"} else None)


@pytest.mark.parametrize(
    ("suffix", "subtype"),
    [("wav", "PCM_U8"), ("wav", "PCM_32"), ("wav", "DOUBLE"), ("flac", "PCM_S8")],
)
def test_other_sample_sizes_are_read_directly(tmp_path: Path, suffix: str, subtype: str) -> None:
    quick, full = fields(write(tmp_path / f"x.{suffix}", tone(0.3, channels=2), subtype=subtype))
    assert quick == full


def test_damaged_wavs_count_the_frames_libsndfile_counts(tmp_path: Path) -> None:
    cut_short = cut(write(tmp_path / "cut.wav", tone(1.0), subtype="PCM_16"), 44 + 48000 + 1)
    claims = header_claims(tmp_path / "claims.wav", 10.0, 0.1)
    unfinalised = never_finalised(tmp_path / "zero.wav", 0.5, subtype="PCM_24")
    header_only = write(tmp_path / "empty.wav", np.zeros((0, 2)), subtype="PCM_16")
    for path in (cut_short, claims, unfinalised, header_only):
        quick, full = fields(path)
        assert quick == full


def test_unusual_headers_are_left_to_libsndfile(tmp_path: Path) -> None:
    rf64 = write(tmp_path / "long.wav", tone(0.2), format="RF64", subtype="PCM_16")
    rifx = write(tmp_path / "big.wav", tone(0.2), subtype="PCM_16", endian="BIG")
    placeholder = never_finalised(tmp_path / "ff.wav", 0.2, size=0xFFFFFFFF)
    flac = write(tmp_path / "tagged.flac", tone(0.2), subtype="PCM_16")
    tagged = tmp_path / "id3.flac"
    tagged.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + flac.read_bytes())
    for path in (rf64, rifx, placeholder, tagged):
        assert read_directly(path) is None
