"""`ReadAhead` and `decoded_blocks`: the same blocks as reading in place, errors, early exit."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from phase_tui.audio.probe import UnreadableAudio
from phase_tui.audio.readahead import READ_AHEAD_BLOCKS, ReadAhead, decoded_blocks
from phase_tui.audio.stream import AudioStream
from tests.unit.test_audio_files import cut, tone, write


def read_in_place(path: Path, block_frames: int) -> np.ndarray:
    with AudioStream(path) as stream:
        return np.concatenate([block.copy() for block in stream.blocks(block_frames)])


def test_blocks_decoded_ahead_are_the_blocks_read_in_place(tmp_path: Path) -> None:
    path = write(tmp_path / "mix.flac", tone(2.0, 44100, 2), 44100)
    with AudioStream(path) as stream, ReadAhead(stream, 1000, depth=2) as ahead:
        blocks = [block.copy() for block in ahead]
    assert [len(block) for block in blocks] == [1000] * 88 + [200]
    assert np.array_equal(np.concatenate(blocks), read_in_place(path, 1000))


def test_buffers_go_round_a_fixed_set(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", tone(1.0), subtype="PCM_16")
    with AudioStream(path) as stream, ReadAhead(stream, 1000, depth=2) as ahead:
        bases = {block.__array_interface__["data"][0] for block in ahead}
    assert len(bases) == 3  # depth + 1 buffers, however long the file


def test_only_long_files_are_decoded_on_another_thread(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", tone(1.0), subtype="PCM_16")  # 48 blocks of 1000
    for block_frames, ahead in ((1000, True), (48000 // READ_AHEAD_BLOCKS + 1, False)):
        with AudioStream(path) as stream, decoded_blocks(stream, block_frames) as blocks:
            assert isinstance(blocks, ReadAhead) == ahead
            assert sum(len(block) for block in blocks) == 48000


def test_a_decoding_error_reaches_the_consumer(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.flac", tone(3.0, 44100, 2), 44100)
    cut(path, path.stat().st_size // 3)
    with (
        pytest.raises(UnreadableAudio, match="damaged or cut short after"),
        AudioStream(path) as stream,
        ReadAhead(stream, 1000) as ahead,
    ):
        for _block in ahead:
            pass


def test_leaving_early_stops_the_decoder(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", tone(5.0, channels=2), subtype="PCM_24")
    before = threading.active_count()
    with AudioStream(path) as stream:
        with ReadAhead(stream, 1000) as ahead:
            for count, _block in enumerate(ahead):
                if count == 2:
                    break
        assert threading.active_count() == before
        assert stream.frames_read <= 6 * 1000  # it stopped soon: at most the free buffers
