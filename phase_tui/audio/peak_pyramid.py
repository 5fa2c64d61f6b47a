"""The levels of a waveform-peaks pyramid, and the two reductions behind them: samples into
buckets, and buckets into display columns.

A `PeakLevel` holds, per bucket of `bucket_frames` frames, the lowest and the highest sample
over all channels and the sum of the squares of every sample; each coarser level halves the
number of buckets. Both reductions cost a few numpy calls per block or per redraw, whatever
the number of frames or columns: no per-frame index arrays, no Python loop per bucket or
per column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Buckets narrower than this many samples (bucket_frames x channels) are reduced transposed:
# numpy reduces a short row slowly (min over rows of 32 samples: 2.6 ns a sample, of 2,048:
# 0.25 ns) but a column of buckets fast, and a transposition piece by piece costs 0.4 ns a
# sample. Min, max and sum of squares together, per sample: 0.7 ns transposed against 5.1
# (16 frames of stereo) or 2.8 (32); from 256 samples a row, reducing rows is as fast.
TRANSPOSE_BELOW_SAMPLES = 256
PIECE_SAMPLES = 8192  # transposed piece by piece: 32 KiB of float32 stays in the L1 cache


@dataclass(frozen=True)
class PeakColumns:
    """Per display column: lowest and highest sample over all channels, and RMS of all samples."""

    minimum: np.ndarray  # float32, len == count
    maximum: np.ndarray
    rms: np.ndarray


@dataclass(frozen=True)
class PeakLevel:
    """One level of the pyramid: per bucket of `bucket_frames` frames (the last one may be
    shorter), the lowest and highest sample over all channels and the sum of the squares
    of all its samples, each a float32 array with one value per bucket."""

    bucket_frames: int
    minimum: np.ndarray
    maximum: np.ndarray
    square_sum: np.ndarray

    def __post_init__(self) -> None:
        arrays = (self.minimum, self.maximum, self.square_sum)
        if any(a.ndim != 1 or a.dtype != np.float32 for a in arrays):
            raise ValueError("peak levels are 1-D float32 arrays")
        if not len(self.minimum) == len(self.maximum) == len(self.square_sum):
            raise ValueError("peak level arrays of different lengths")
        for array in arrays:
            array.flags.writeable = False  # shared with renderers on other threads

    def __len__(self) -> int:
        return len(self.minimum)

    @classmethod
    def from_rms(
        cls,
        bucket_frames: int,
        minimum: np.ndarray,
        maximum: np.ndarray,
        rms: np.ndarray,
        frames: int,
        channels: int,
    ) -> PeakLevel:
        """The level whose buckets have these RMS values (the inverse of `rms`)."""
        samples = bucket_samples(len(rms), bucket_frames, frames, channels)
        square_sum = np.square(rms.astype(np.float32)) * samples
        return cls(
            bucket_frames, minimum.astype(np.float32), maximum.astype(np.float32), square_sum
        )

    def rms(self, frames: int, channels: int) -> np.ndarray:
        """The RMS of each bucket, for audio of `frames` frames of `channels` channels."""
        samples = bucket_samples(len(self), self.bucket_frames, frames, channels)
        return np.sqrt(self.square_sum / samples)

    def coarser(self) -> PeakLevel:
        """The next level up: buckets twice as wide, half as many (an odd last one alone).

        Even and odd buckets combined elementwise: `reduceat` over pairs took 6x as long."""
        pairs = len(self) // 2
        arrays = []
        for combine, values in (
            (np.minimum, self.minimum),
            (np.maximum, self.maximum),
            (np.add, self.square_sum),
        ):
            combined = np.empty(len(self) - pairs, dtype=np.float32)
            combine(values[0 : 2 * pairs : 2], values[1 : 2 * pairs : 2], out=combined[:pairs])
            combined[pairs:] = values[2 * pairs :]
            arrays.append(combined)
        return PeakLevel(self.bucket_frames * 2, *arrays)


def build_pyramid(finest: PeakLevel) -> tuple[PeakLevel, ...]:
    """`finest` and every coarser level, down to a single bucket."""
    levels = [finest]
    while len(levels[-1]) > 1:
        levels.append(levels[-1].coarser())
    return tuple(levels)


def bucket_samples(buckets: int, bucket_frames: int, frames: int, channels: int) -> np.ndarray:
    """How many samples each of `buckets` buckets holds (the last one what is left)."""
    samples = np.full(buckets, bucket_frames * channels, dtype=np.float32)
    if buckets:
        samples[-1] = (frames - (buckets - 1) * bucket_frames) * channels
    return samples


class BucketReducer:
    """Reduces whole buckets of samples to (minimum, maximum, square_sum) per bucket; keeps
    its scratch buffer from one block to the next."""

    def __init__(self) -> None:
        self._scratch = np.empty(0, dtype=np.float32)

    def reduce(
        self, samples: np.ndarray, bucket_frames: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per bucket of a C-contiguous float32 (frames, channels) block whose frames are a
        multiple of `bucket_frames`: the lowest and highest sample and the sum of squares."""
        rows = samples.reshape(-1, bucket_frames * samples.shape[1])
        if rows.shape[1] >= TRANSPOSE_BELOW_SAMPLES:
            return rows.min(axis=1), rows.max(axis=1), np.einsum("ij,ij->i", rows, rows)
        columns = self._transposed(rows)
        return columns.min(axis=0), columns.max(axis=0), np.einsum("ij,ij->j", columns, columns)

    def _transposed(self, rows: np.ndarray) -> np.ndarray:
        """`rows.T` as a C-contiguous array in the scratch buffer, copied piece by piece."""
        count, width = rows.shape
        if self._scratch.size < rows.size:
            self._scratch = np.empty(rows.size, dtype=np.float32)
        columns = self._scratch[: rows.size].reshape(width, count)
        step = max(PIECE_SAMPLES // width, 1)
        for start in range(0, count, step):
            np.copyto(columns[:, start : start + step], rows[start : start + step].T)
        return columns


def level_columns(
    level: PeakLevel,
    frames: int,
    channels: int,
    start_frame: float,
    column_frames: float,
    count: int,
) -> PeakColumns:
    """`count` columns of `column_frames` frames from `start_frame`, read off `level`.

    A column at least a bucket wide takes the buckets between its edges, each edge rounded
    to the nearest bucket boundary; a narrower column takes the bucket its middle falls in.
    Columns outside the audio are 0/0/0.
    """
    minimum, maximum, rms = (np.zeros(count, dtype=np.float32) for _ in range(3))
    buckets, width = len(level), level.bucket_frames
    edges = start_frame + column_frames * np.arange(count + 1, dtype=np.float64)
    if column_frames >= width:
        bounds = np.rint(edges / width)
        first, end = bounds[:-1], bounds[1:]
    else:
        first = np.floor((edges[:-1] + column_frames / 2) / width)
        end = first + 1
    # Each test is monotonic in the column index, so the columns kept are one run.
    kept = np.flatnonzero((edges[:-1] < frames) & (edges[1:] > 0) & (first < buckets) & (end > 0))
    if not len(kept):
        return PeakColumns(minimum, maximum, rms)
    run = slice(kept[0], kept[-1] + 1)
    low = np.clip(first[run], 0, buckets - 1).astype(np.int64)
    high = np.maximum(np.clip(end[run], 1, buckets).astype(np.int64), low + 1)
    # reduceat over [low[i], low[i + 1]): contiguous columns share their edges, and a
    # repeated start (columns narrower than a bucket) takes that one bucket.
    base, stop = low[0], high[-1]
    starts = low - base
    minimum[run] = np.minimum.reduceat(level.minimum[base:stop], starts)
    maximum[run] = np.maximum.reduceat(level.maximum[base:stop], starts)
    square_sum = np.add.reduceat(level.square_sum[base:stop], starts)
    samples = (np.minimum(high * width, frames) - low * width) * channels
    rms[run] = np.sqrt(square_sum / samples)
    return PeakColumns(minimum, maximum, rms)
