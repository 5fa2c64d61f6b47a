"""`content_hash`: XXH3-128 of the bytes, streaming, and files that vanish mid-read."""

from __future__ import annotations

import os
import threading
import tracemalloc
from pathlib import Path

import pytest
import xxhash

from phase_tui.audio.hashing import content_hash
from phase_tui.audio.probe import UnreadableAudio


def test_equal_bytes_hash_equal_and_one_byte_changes_it(tmp_path: Path) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 17)
    first, second = tmp_path / "a.wav", tmp_path / "b.wav"
    first.write_bytes(payload)
    second.write_bytes(payload)
    digest = content_hash(first)
    assert digest == content_hash(second) == xxhash.xxh3_128(payload).hexdigest()
    assert len(digest) == 32
    changed = bytearray(payload)
    changed[len(payload) // 2] ^= 1
    second.write_bytes(bytes(changed))
    assert content_hash(second) != digest
    assert content_hash(first, chunk_bytes=4096) == digest


def test_an_empty_file_has_a_hash(tmp_path: Path) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    assert content_hash(tmp_path / "empty.wav") == xxhash.xxh3_128().hexdigest()


def test_hashing_streams_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.wav"
    with path.open("wb") as out:
        out.truncate(64 * 1024 * 1024)  # sparse: 64 MiB of zeros, no disk used
    tracemalloc.start()
    try:
        content_hash(path)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak_bytes < 4 * 1024 * 1024


def delete_once_opened(path: Path) -> threading.Thread:
    """A thread that unlinks `path` as soon as this process holds it open."""

    def watch() -> None:
        while True:
            for fd in os.listdir("/proc/self/fd"):
                try:
                    if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                        path.unlink()
                        return
                except OSError:
                    continue

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_a_file_deleted_while_hashed(tmp_path: Path) -> None:
    path = tmp_path / "bounce.wav"
    with path.open("wb") as out:
        out.truncate(1024 * 1024 * 1024)  # sparse 1 GiB: seconds to hash, time to delete it
    deleter = delete_once_opened(path)
    with pytest.raises(UnreadableAudio) as caught:
        content_hash(path, chunk_bytes=1 << 16)
    deleter.join(timeout=5)
    assert caught.value.reason == "file vanished while reading"


def test_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(UnreadableAudio, match="file not found"):
        content_hash(tmp_path / "nope.wav")
