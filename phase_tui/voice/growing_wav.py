"""A 16-bit PCM WAV written while recording, readable on disk at every moment.

The standard library's `wave` writer patches the RIFF and data sizes after every write,
and each write is flushed to the operating system at once, so a process killed (even with
kill -9) leaves a valid WAV of everything written. `os.fsync` runs at most once per
`fsync_interval_s`, so a power cut loses at most about that much.
"""

from __future__ import annotations

import os
import time
import wave
from pathlib import Path

import numpy as np


class GrowingWav:
    """Write int16 blocks of shape (frames, channels) to `path`; `close()` when done."""

    def __init__(
        self, path: Path, sample_rate: int, channels: int, fsync_interval_s: float = 1.0
    ) -> None:
        self.path = path
        self._fsync_interval_s = fsync_interval_s
        self._file = open(path, "wb")  # noqa: SIM115 - wave never closes a file it is given
        self._wav = wave.open(self._file, "wb")  # noqa: SIM115 - closed by close()
        self._wav.setnchannels(channels)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        self._wav.writeframes(b"")  # the header now: an empty recording is a valid WAV
        self._frames = 0
        self._synced_at = -float("inf")
        self._sync()

    @property
    def frames(self) -> int:
        """Frames written so far."""
        return self._frames

    def write(self, block: np.ndarray) -> None:
        """Append a block of int16 samples (frames, channels); the header follows it."""
        self._wav.writeframes(np.ascontiguousarray(block, dtype="<i2").tobytes())
        self._file.flush()
        self._frames += len(block)
        if time.monotonic() - self._synced_at >= self._fsync_interval_s:
            self._sync()

    def close(self) -> None:
        """Write the final header, fsync and close the file."""
        self._wav.close()  # patches the header and flushes; leaves our file object open
        self._sync()
        self._file.close()

    def _sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._synced_at = time.monotonic()
