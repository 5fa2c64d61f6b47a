"""The on-disk cache of waveform peaks, one file per content hash: `<folder>/<hash>.peaks`.

A file holds a fixed header (magic, format version, sample rate, channels, bucket frames,
frames, the length of the problem sentence), the problem sentence in UTF-8, the finest
level's minimum, maximum and RMS per bucket as little-endian float16 (6 bytes a bucket:
3.2 MB for a 3-minute bounce at 48 kHz, 6.3 MB at most for any length), and an XXH3-128
digest of everything before it. The coarser levels are rebuilt on load (a few ms). A file
that is cut short, of another version, inconsistent or damaged is removed and reads as
absent, so the peaks are computed again; nothing in it is trusted before it is checked.
Writes are atomic (temp file in the same folder, fsync, rename): a crash leaves the old
file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import struct
from pathlib import Path

import numpy as np
import xxhash

from phase_tui.atomic import atomic_write_bytes
from phase_tui.audio.peaks import MAX_FINEST_BUCKETS, MIN_BUCKET_FRAMES, PeakLevel, Peaks

MAGIC = b"PHPEAKS\x00"
FORMAT_VERSION = 1
HEADER = struct.Struct("<8sIIIIQI")  # magic, version, rate, channels, bucket, frames, problem
DIGEST_BYTES = 16
ON_DISK = np.dtype("<f2")
FLOAT16_MAX = float(np.finfo(np.float16).max)
MAX_BUCKETS = 2 * MAX_FINEST_BUCKETS  # the header's frame count may undercount (e.g. MP3)
MAX_PROBLEM_CHARS = 1000
MAX_PROBLEM_BYTES = 4 * MAX_PROBLEM_CHARS  # UTF-8
SUFFIX = ".peaks"
HASH_PATTERN = re.compile(r"[0-9a-f]{1,128}")


class PeaksCache:
    """Peaks on disk by content hash (lower-case hex, as `hashing.content_hash` gives)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # e.g. studio/.phase_os/peaks, created on the first save

    def path_for(self, content_hash: str) -> Path:
        """The cache file of `content_hash`; ValueError unless it is a hex digest."""
        if not HASH_PATTERN.fullmatch(content_hash):
            raise ValueError(f"not a hex content hash: {content_hash!r}")
        return self.folder / f"{content_hash}{SUFFIX}"

    def load(self, content_hash: str) -> Peaks | None:
        """The cached peaks, or None when absent, corrupt, of another format version, or
        inconsistent (and a bad file is removed)."""
        path = self.path_for(content_hash)
        try:
            with open(path, "rb") as handle:
                data = handle.read(_largest_file_bytes() + 1)
        except OSError:  # absent, or unreadable: nothing to use, nothing known to be bad
            return None
        peaks = decode(data)
        if peaks is None:
            with contextlib.suppress(OSError):
                os.unlink(path)
        return peaks

    def save(self, content_hash: str, peaks: Peaks) -> None:
        """Store `peaks` under `content_hash`, atomically; raises OSError if it cannot."""
        path = self.path_for(content_hash)
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, encode(peaks))


def encode(peaks: Peaks) -> bytes:
    """The bytes of a cache file holding `peaks`."""
    finest = peaks.levels[0]
    problem = (peaks.problem or "")[:MAX_PROBLEM_CHARS].encode("utf-8")
    arrays = (finest.minimum, finest.maximum, finest.rms(peaks.frames, peaks.channels))
    parts = [
        HEADER.pack(
            MAGIC,
            FORMAT_VERSION,
            peaks.sample_rate_hz,
            peaks.channels,
            peaks.bucket_frames,
            peaks.frames,
            len(problem),
        ),
        problem,
        *(np.clip(a, -FLOAT16_MAX, FLOAT16_MAX).astype(ON_DISK).tobytes() for a in arrays),
    ]
    body = b"".join(parts)
    return body + xxhash.xxh3_128_digest(body)


def decode(data: bytes) -> Peaks | None:
    """The peaks in the bytes of a cache file; None for anything but a whole, consistent
    file of this format version."""
    if len(data) < HEADER.size + DIGEST_BYTES:
        return None
    magic, version, rate_hz, channels, bucket_frames, frames, problem_bytes = HEADER.unpack_from(
        data
    )
    if magic != MAGIC or version != FORMAT_VERSION or rate_hz == 0 or channels == 0:
        return None
    if bucket_frames < MIN_BUCKET_FRAMES or bucket_frames & (bucket_frames - 1):
        return None  # not a power of two
    buckets = math.ceil(frames / bucket_frames)
    if buckets > MAX_BUCKETS or problem_bytes > MAX_PROBLEM_BYTES:
        return None
    body_bytes = HEADER.size + problem_bytes + 3 * buckets * ON_DISK.itemsize
    if len(data) != body_bytes + DIGEST_BYTES:
        return None
    if xxhash.xxh3_128_digest(memoryview(data)[:body_bytes]) != data[body_bytes:]:
        return None
    try:
        problem = data[HEADER.size : HEADER.size + problem_bytes].decode("utf-8")
    except UnicodeDecodeError:
        return None
    values = np.frombuffer(data, ON_DISK, 3 * buckets, HEADER.size + problem_bytes)
    minimum, maximum, rms = values.reshape(3, buckets)
    if np.any(minimum > maximum) or np.any(rms < 0):
        return None
    try:
        finest = PeakLevel.from_rms(bucket_frames, minimum, maximum, rms, frames, channels)
        return Peaks(rate_hz, channels, frames, finest, problem or None)
    except ValueError:  # the checks above should leave nothing for these to refuse
        return None


def _largest_file_bytes() -> int:
    """The size of the largest valid cache file: reading stops past it."""
    return HEADER.size + MAX_PROBLEM_BYTES + 3 * MAX_BUCKETS * ON_DISK.itemsize + DIGEST_BYTES
