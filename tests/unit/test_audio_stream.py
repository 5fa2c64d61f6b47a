"""`AudioStream`: one reused buffer, raw reading past unfinalised headers, files that vanish,
the same samples whatever the block size."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phase_tui.audio.probe import UnreadableAudio
from phase_tui.audio.stream import AudioStream
from tests.unit.test_audio_files import RATE_HZ, never_finalised, tone, write


def read_all(path: Path, block_frames: int = 1000) -> np.ndarray:
    with AudioStream(path) as stream:
        return np.concatenate([block.copy() for block in stream.blocks(block_frames)])


def test_blocks_are_views_of_one_reused_float32_buffer(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", tone(0.5, channels=2), subtype="PCM_16")
    with AudioStream(path) as stream:
        blocks = list(stream.blocks(1000))
    assert len(blocks) == 24
    assert all(b.dtype == np.float32 and b.shape[1] == 2 for b in blocks)
    assert all(np.shares_memory(blocks[0], block) for block in blocks)
    assert sum(len(block) for block in blocks) == RATE_HZ // 2


@pytest.mark.parametrize("subtype", ["PCM_16", "PCM_24", "PCM_32", "FLOAT", "PCM_U8"])
def test_unfinalised_wav_samples_are_read_raw_and_exactly(tmp_path: Path, subtype: str) -> None:
    path = never_finalised(tmp_path / "zero.wav", 0.3, subtype=subtype)
    reference = write(tmp_path / "whole.wav", tone(0.3, channels=2), subtype=subtype)
    expected, _ = sf.read(reference, dtype="float32")
    assert sf.info(path).frames == 0
    assert np.array_equal(read_all(path), expected)


def test_unfinalised_big_endian_aiff_is_read_raw(tmp_path: Path) -> None:
    path = write(tmp_path / "zero.aiff", tone(0.3, channels=2), subtype="PCM_24")
    expected, _ = sf.read(path, dtype="float32")
    raw = bytearray(path.read_bytes())
    struct.pack_into(">I", raw, raw.index(b"SSND") + 4, 8)  # declares no sample bytes
    path.write_bytes(bytes(raw))
    assert sf.info(path).frames == 0
    assert np.array_equal(read_all(path), expected)


def test_a_file_deleted_while_being_read(tmp_path: Path) -> None:
    path = write(tmp_path / "gone.wav", tone(1.0), subtype="PCM_16")
    with AudioStream(path) as stream:
        blocks = stream.blocks(1000)
        next(blocks)
        path.unlink()
        with pytest.raises(UnreadableAudio) as caught:
            next(blocks)
    assert caught.value.reason == "file vanished while reading"


def test_a_file_rewritten_while_being_read(tmp_path: Path) -> None:
    path = write(tmp_path / "export.wav", tone(1.0), subtype="PCM_16")
    with AudioStream(path) as stream:
        blocks = stream.blocks(1000)
        next(blocks)
        with path.open("ab") as more:
            more.write(bytes(1000))
        with pytest.raises(UnreadableAudio, match="file changed while reading"):
            next(blocks)


@pytest.mark.parametrize(
    ("suffix", "fmt", "subtype"),
    [("mp3", "MP3", "MPEG_LAYER_III"), ("flac", "FLAC", "PCM_16"), ("ogg", "OGG", "VORBIS")],
)
def test_any_block_size_decodes_the_samples_of_one_whole_read(
    tmp_path: Path, suffix: str, fmt: str, subtype: str
) -> None:
    """soundfile's own block reading seeks after every read, which for MP3 lands elsewhere."""
    path = write(
        tmp_path / f"sine.{suffix}", tone(3.0, 44100, 2), 44100, format=fmt, subtype=subtype
    )
    whole, _ = sf.read(path, dtype="float32", always_2d=True)
    for block_frames in (1000, 8192):
        assert np.array_equal(read_all(path, block_frames), whole)
