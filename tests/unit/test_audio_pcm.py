"""The numpy PCM decoder: bit for bit what libsndfile gives, for every subtype, byte order
and container it takes; the files it leaves to libsndfile."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.stream import AudioStream

SUBTYPES = ["PCM_16", "PCM_24", "PCM_32", "FLOAT"]
CASES = [  # (subtype, suffix, soundfile format, endian)
    *(
        (subtype, suffix, fmt, endian)
        for subtype in SUBTYPES
        for suffix, fmt, endian in [
            ("wav", "WAV", "FILE"),
            ("wav", "WAVEX", "FILE"),
            ("wav", "RF64", "FILE"),
            ("wav", "WAV", "BIG"),  # RIFX
            ("aiff", "AIFF", "FILE"),
        ]
    ),
    ("PCM_16", "aiff", "AIFF", "LITTLE"),  # AIFC 'sowt' (libsndfile writes it for 16-bit only)
]


def every_value(subtype: str, frames: int, channels: int) -> np.ndarray:
    """Random samples with both extremes and zero: int32 for the integer subtypes (libsndfile
    keeps their top 16, 24 or 32 bits), float32 with overs for FLOAT."""
    rng = np.random.default_rng(frames + channels)
    if subtype == "FLOAT":
        return rng.uniform(-1.5, 1.5, (frames, channels)).astype(np.float32)
    limits = np.iinfo(np.int32)
    ints = rng.integers(limits.min, limits.max, (frames, channels), dtype=np.int32, endpoint=True)
    ints[:3] = [[limits.min], [limits.max], [0]]
    return ints


def write(path: Path, subtype: str, fmt: str, endian: str, channels: int) -> Path:
    data = every_value(subtype, 5003, channels)
    sf.write(path, data, 44100, format=fmt, subtype=subtype, endian=endian)
    return path


def read_blocks(path: Path, block_frames: int) -> np.ndarray:
    with AudioStream(path) as stream:
        assert stream._pcm is not None  # the numpy decoder, not libsndfile
        return np.vstack([block.copy() for block in stream.blocks(block_frames)])


@pytest.mark.parametrize(("subtype", "suffix", "fmt", "endian"), CASES)
@pytest.mark.parametrize("channels", [1, 2, 6])
def test_decodes_bit_for_bit_as_libsndfile(
    tmp_path: Path, subtype: str, suffix: str, fmt: str, endian: str, channels: int
) -> None:
    path = write(tmp_path / f"take.{suffix}", subtype, fmt, endian, channels)
    expected, _rate = sf.read(path, dtype="float32", always_2d=True)
    for block_frames in (5003, 1000, 7):
        got = read_blocks(path, block_frames)
        assert got.dtype == np.float32
        assert np.array_equal(got, expected)


def test_a_file_cut_short_reads_what_is_there(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.wav", "PCM_24", "WAV", "FILE", 2)
    whole, _rate = sf.read(path, dtype="float32")
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size - 6 * 1000 - 2)  # 1000 frames and a partial one
    got = read_blocks(path, 4096)
    assert np.array_equal(got, whole[: len(whole) - 1001])


@pytest.mark.parametrize(
    ("subtype", "fmt"), [("PCM_U8", "WAV"), ("DOUBLE", "WAV"), ("ULAW", "WAV"), ("PCM_24", "FLAC")]
)
def test_other_subtypes_and_formats_are_left_to_libsndfile(
    tmp_path: Path, subtype: str, fmt: str
) -> None:
    path = tmp_path / f"take.{fmt.lower()}"
    sf.write(path, every_value("FLOAT", 2000, 2).clip(-1, 1), 44100, format=fmt, subtype=subtype)
    expected, _rate = sf.read(path, dtype="float32")
    with AudioStream(path) as stream:
        assert stream._pcm is None
        got = np.vstack([block.copy() for block in stream.blocks(512)])
    assert np.array_equal(got, expected)
