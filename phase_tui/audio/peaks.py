"""Waveform peaks: computed in one streaming pass over a file, kept as a pyramid of levels,
read as display columns at any zoom.

The finest level has one bucket per `bucket_frames` frames (a power of two from 16, so that
there are at most 2**20 buckets: 256 frames for an hour at 48 kHz); each level above
halves the number of buckets. `Peaks.columns` reads the coarsest level whose buckets are no
wider than a column, so a redraw costs the same for a 3-minute loop and a 1-hour set, and
never touches the audio. Memory while computing: a few decode buffers and the levels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from phase_tui.audio.peak_pyramid import (
    BucketReducer,
    PeakColumns,
    PeakLevel,
    build_pyramid,
    level_columns,
)
from phase_tui.audio.readahead import decoded_blocks
from phase_tui.audio.stream import AudioStream

__all__ = [
    "PeakColumns",
    "PeakLevel",
    "Peaks",
    "PeaksBuilder",
    "PeaksCancelled",
    "bucket_frames_for",
    "compute_peaks",
]

MIN_BUCKET_FRAMES = 16
MAX_FINEST_BUCKETS = 2**20
PEAKS_BLOCK_FRAMES = 1 << 16  # a multiple of every bucket up to 65,536 frames


class PeaksCancelled(Exception):
    """`compute_peaks` stopped because its `cancelled()` said so."""


def bucket_frames_for(frames: int) -> int:
    """The smallest power of two >= 16 with at most 2**20 buckets in `frames` frames."""
    bucket_frames = MIN_BUCKET_FRAMES
    while math.ceil(frames / bucket_frames) > MAX_FINEST_BUCKETS:
        bucket_frames *= 2
    return bucket_frames


class Peaks:
    """The peaks of one file: `levels`, finest first, each halving the buckets of the one
    before. Immutable; `columns` may be called from any thread."""

    def __init__(
        self,
        sample_rate_hz: int,
        channels: int,
        frames: int,
        finest: PeakLevel,
        problem: str | None = None,
    ) -> None:
        if sample_rate_hz <= 0 or channels <= 0 or frames < 0:
            raise ValueError("peaks need a positive rate and channel count")
        if len(finest) != math.ceil(frames / finest.bucket_frames):
            raise ValueError(f"{len(finest)} buckets of {finest.bucket_frames} for {frames} frames")
        self.sample_rate_hz = sample_rate_hz
        self.channels = channels
        self.frames = frames
        self.bucket_frames = finest.bucket_frames
        self.problem = problem
        self.levels = build_pyramid(finest)

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate_hz

    def columns(self, start_s: float, end_s: float, count: int) -> PeakColumns:
        """`count` columns evenly covering [start_s, end_s): each column's min/max/rms from the
        coarsest pyramid level whose buckets are no wider than a column (never touching audio).
        Columns past the end of the audio (or before 0) are 0/0/0. Works for any count >= 1 and
        any zoom, including columns narrower than one bucket (then each column takes the bucket
        it falls in). An empty span (end_s <= start_s) gives zeros."""
        if count < 1:
            raise ValueError(f"columns need a count >= 1, not {count}")
        column_frames = (end_s - start_s) * self.sample_rate_hz / count
        if not column_frames > 0:
            zeros = np.zeros(count, dtype=np.float32)
            return PeakColumns(zeros, zeros.copy(), zeros.copy())
        level = self.levels[0]
        for coarser in self.levels[1:]:
            if coarser.bucket_frames > column_frames:
                break
            level = coarser
        start_frame = start_s * self.sample_rate_hz
        return level_columns(level, self.frames, self.channels, start_frame, column_frames, count)


class PeaksBuilder:
    """Feed float32 (frames, channels) blocks in order; `finish()` gives the Peaks.

    Blocks of any length work; per block the cost is a few numpy calls over its whole
    buckets (a multiple of `bucket_frames` frames long is best), and a partial bucket at the
    end of a block is carried into the next.
    """

    def __init__(self, sample_rate_hz: int, channels: int, frames: int) -> None:
        self.sample_rate_hz = sample_rate_hz
        self.channels = channels
        self.bucket_frames = bucket_frames_for(frames)  # frames: the header's count
        self.frames = 0  # fed so far
        capacity = max(math.ceil(frames / self.bucket_frames), 1)
        self._arrays = [np.empty(capacity, dtype=np.float32) for _ in range(3)]
        self._buckets = 0
        self._carry = np.empty((self.bucket_frames, channels), dtype=np.float32)
        self._carry_frames = 0
        self._reducer = BucketReducer()

    def feed(self, block: np.ndarray) -> None:
        """Add the next (frames, channels) block; it may be reused once this returns."""
        if block.ndim != 2 or block.shape[1] != self.channels:
            raise ValueError(f"blocks of (frames, {self.channels}) expected, not {block.shape}")
        block = np.ascontiguousarray(block, dtype=np.float32)
        self.frames += len(block)
        if self._carry_frames:
            taken = min(self.bucket_frames - self._carry_frames, len(block))
            self._carry[self._carry_frames : self._carry_frames + taken] = block[:taken]
            self._carry_frames += taken
            block = block[taken:]
            if self._carry_frames == self.bucket_frames:
                self._append(self._carry, self.bucket_frames)
                self._carry_frames = 0
        whole = len(block) - len(block) % self.bucket_frames
        if whole:
            self._append(block[:whole], self.bucket_frames)
        if rest := len(block) - whole:
            self._carry[:rest] = block[whole:]
            self._carry_frames = rest

    def finish(self, problem: str | None = None) -> Peaks:
        """The peaks of everything fed, the last bucket partial if the frames end mid-bucket.
        Call it once, after the last block."""
        if self._carry_frames:
            self._append(self._carry[: self._carry_frames], self._carry_frames)
            self._carry_frames = 0
        minimum, maximum, square_sum = (
            a if len(a) == self._buckets else a[: self._buckets].copy() for a in self._arrays
        )
        finest = PeakLevel(self.bucket_frames, minimum, maximum, square_sum)
        return Peaks(self.sample_rate_hz, self.channels, self.frames, finest, problem)

    def _append(self, samples: np.ndarray, bucket_frames: int) -> None:
        reduced = self._reducer.reduce(samples, bucket_frames)
        end = self._buckets + len(reduced[0])
        if end > len(self._arrays[0]):  # more frames than the header said (e.g. an MP3)
            grown = max(end, 2 * len(self._arrays[0]))
            self._arrays = [np.resize(a, grown) for a in self._arrays]
        for array, values in zip(self._arrays, reduced, strict=True):
            array[self._buckets : end] = values
        self._buckets = end


def compute_peaks(
    path: Path,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Peaks:
    """Stream the file once (AudioStream + decoded_blocks), bounded memory whatever the length;
    progress(fraction 0..1) after each block; stops early (raising a `PeaksCancelled`) when
    cancelled() is true; raises UnreadableAudio for an unreadable file. A truncated file
    gives the peaks of what is there, with the header's problem in `problem`."""
    with AudioStream(path) as stream:
        header = stream.header
        builder = PeaksBuilder(header.sample_rate_hz, header.channels, header.frames)
        block_frames = max(PEAKS_BLOCK_FRAMES, builder.bucket_frames)
        with decoded_blocks(stream, block_frames) as blocks:
            for block in blocks:
                if cancelled is not None and cancelled():
                    raise PeaksCancelled(f"{path}: cancelled")
                builder.feed(block)
                if progress is not None:
                    progress(min(builder.frames / max(header.frames, 1), 1.0))
    if progress is not None:
        progress(1.0)
    return builder.finish(header.problem)
