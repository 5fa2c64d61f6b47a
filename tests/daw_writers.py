"""Writers that export audio files the ways DAWs and file managers do (for watcher tests).

Each writes a valid 16-bit mono WAV; the slow ones return the `time.monotonic()` of their
last write, so a test can check that nothing was reported before the file was complete.
"""

from __future__ import annotations

import os
import shutil
import struct
import time
import zlib
from pathlib import Path

SAMPLE_RATE = 8000


def wav_header(data_bytes: int) -> bytes:
    """A 44-byte PCM WAV header for `data_bytes` of 16-bit mono samples."""
    return (
        b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
        + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16)
        + b"data" + struct.pack("<I", data_bytes)
    )  # fmt: skip


def samples(seconds: float) -> bytes:
    """Quiet non-silent samples (a ramp), `seconds` long."""
    count = int(SAMPLE_RATE * seconds)
    return struct.pack(f"<{count}h", *((i % 200) - 100 for i in range(count)))


def write_wav(path: Path, seconds: float = 0.05) -> Path:
    """A complete WAV written in one go."""
    data = samples(seconds)
    path.write_bytes(wav_header(len(data)) + data)
    return path


def progressive_export(path: Path, duration_s: float = 1.5, chunks: int = 6) -> float:
    """Export like a DAW: header with data size 0, data in chunks over `duration_s`, then
    the header patched with the real sizes. Returns the monotonic time of the last write."""
    chunk = samples(0.1)
    with open(path, "wb") as file:
        file.write(wav_header(0))
        file.flush()
        for _ in range(chunks):
            time.sleep(duration_s / chunks)
            file.write(chunk)
            file.flush()
        file.seek(0)
        file.write(wav_header(len(chunk) * chunks))
    return time.monotonic()


def export_via_temp(path: Path, temp_name: str) -> Path:
    """Write the whole file under `temp_name` in the same folder, then rename it into place."""
    temp = path.with_name(temp_name)
    write_wav(temp)
    os.rename(temp, path)
    return path


def copy_in(source: Path, folder: Path) -> Path:
    """`shutil.copy` a finished file into `folder` (a file manager, `cp`)."""
    return Path(shutil.copy(source, folder))


def distinct_samples(seconds: float, seed: int) -> bytes:
    """Like `samples`, but the first two samples hold the 32-bit `seed`: files differ."""
    count = int(SAMPLE_RATE * seconds)
    marker = ((seed & 0xFFFF) - 0x8000, ((seed >> 16) & 0xFFFF) - 0x8000)
    ramp = ((i % 200) - 100 for i in range(count - len(marker)))
    return struct.pack(f"<{count}h", *marker, *ramp)


def write_distinct_wav(path: Path, seconds: float = 0.05, seed: int | None = None) -> Path:
    """A complete WAV whose content differs from every other file's (the seed defaults to
    a checksum of the name), so no two test bounces are duplicates of each other."""
    data = distinct_samples(seconds, zlib.crc32(os.fsencode(path.name)) if seed is None else seed)
    path.write_bytes(wav_header(len(data)) + data)
    return path
