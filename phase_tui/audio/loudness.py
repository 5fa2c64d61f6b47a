"""Integrated loudness (ITU-R BS.1770-4, in LUFS), measured streaming: feed blocks, then ask.

K-weighting runs as two biquads whose state carries across blocks (`biquads`: matrix
products, no scipy), so any block size gives the same result as one big block. The
weighted power of each 100 ms step is kept (a float per step, 36 KB an hour); the 400 ms
gating blocks with 75 % overlap are four consecutive steps, gated at -70 LUFS absolute and
then -10 LU relative when the loudness is asked for.
"""

from __future__ import annotations

import functools
from array import array

import numpy as np

from phase_tui.audio.biquads import BiquadCascade, BlockMatrices, block_matrices
from phase_tui.audio.kweighting import k_weighting_sos
from phase_tui.audio.scratch import scratch

STEPS_PER_S = 10  # 100 ms hop between gating blocks
STEPS_PER_BLOCK = 4  # a 400 ms gating block is four hops
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
LOUDNESS_OFFSET_DB = -0.691  # makes a 997 Hz 0 dBFS sine in one front channel read -3.01
SURROUND_WEIGHT = 1.41
LFE_WEIGHT = 0.0


def channel_weights(channels: int) -> np.ndarray:
    """BS.1770 weight of each channel, assuming the WAV/SMPTE order (L R C, then the rest).

    1 to 3 channels: all 1.0. 4 and 5 channels (L R C Ls Rs, pyloudnorm's order): 1.41 from
    the fourth on. 6 or more (5.1, 7.1: L R C LFE Ls Rs ...): the LFE is left out as the
    standard says, every channel after it is a surround at 1.41.
    """
    weights = np.ones(channels)
    if channels >= 6:
        weights[3] = LFE_WEIGHT
        weights[4:] = SURROUND_WEIGHT
    elif channels >= 4:
        weights[3:] = SURROUND_WEIGHT
    return weights


class LoudnessMeter:
    """Streaming BS.1770-4 integrated loudness of one signal at one sample rate."""

    def __init__(self, sample_rate_hz: int, channels: int) -> None:
        self.sample_rate_hz = sample_rate_hz
        self._filter = BiquadCascade(k_weighting_matrices(sample_rate_hz), channels)
        self._weights = channel_weights(channels)
        self._frames_fed = 0
        self._step_energy = 0.0  # channel-weighted sum of squares of the step in progress
        self._step_energies = array("d")  # the same, of each finished 100 ms step

    def feed(self, block: np.ndarray) -> None:
        """Add the next (frames, channels) block of samples (any float dtype; 1-D for mono)."""
        frames = len(block)
        if frames == 0:
            return
        channels = len(self._weights)
        dtype = self._filter.dtype
        samples = scratch("loudness samples", channels, frames, dtype=dtype)  # a row a channel
        filtered = scratch("loudness filtered", channels, frames, dtype=dtype)
        np.copyto(samples, block.reshape(frames, -1).T)
        self._filter.filter(samples, out=filtered)
        self._add_energy(np.square(filtered, out=filtered))

    def integrated(self) -> float | None:
        """Gated loudness in LUFS; None below 400 ms of audio or when every block is gated."""
        step_energies = np.frombuffer(self._step_energies, dtype=np.float64)
        if len(step_energies) < STEPS_PER_BLOCK:
            return None
        block_energies = np.convolve(step_energies, np.ones(STEPS_PER_BLOCK), mode="valid")
        block_powers = block_energies / self._block_frames()
        loud_enough = block_powers > _power(ABSOLUTE_GATE_LUFS)
        if not loud_enough.any():
            return None
        relative_gate = _power(_lufs(block_powers[loud_enough].mean()) + RELATIVE_GATE_LU)
        kept = block_powers[loud_enough & (block_powers > relative_gate)]
        return _lufs(kept.mean()) if len(kept) else None

    def _add_energy(self, squares: np.ndarray) -> None:
        """Add the (channels, frames) squared samples that come next, closing the 100 ms
        steps they complete."""
        frames = squares.shape[1]
        first_frame = self._frames_fed
        self._frames_fed += frames
        finished = np.arange(len(self._step_energies), self._steps_ended_by(self._frames_fed))
        ends = self._step_end_frames(finished) - first_frame  # in (0, frames]
        starts = np.concatenate(([0], ends[ends < frames]))
        sums = self._weights @ np.add.reduceat(squares, starts, axis=1)
        if len(ends) == 0:
            self._step_energy += float(sums[0])
            return
        self._step_energies.append(self._step_energy + float(sums[0]))
        self._step_energies.extend(sums[1 : len(ends)].tolist())
        self._step_energy = float(sums[-1]) if ends[-1] < frames else 0.0

    def _step_end_frames(self, steps: np.ndarray) -> np.ndarray:
        """Frame at which each 100 ms step ends (exact for rates not divisible by 10)."""
        return (steps + 1) * self.sample_rate_hz // STEPS_PER_S

    def _steps_ended_by(self, frames: int) -> int:
        """How many steps end within the first `frames` frames."""
        return ((frames + 1) * STEPS_PER_S - 1) // self.sample_rate_hz

    def _block_frames(self) -> float:
        return self.sample_rate_hz * STEPS_PER_BLOCK / STEPS_PER_S


@functools.lru_cache(maxsize=8)
def k_weighting_matrices(sample_rate_hz: int) -> BlockMatrices:
    """The K-weighting filter at one rate, ready to run (built once per rate, ~1 ms)."""
    return block_matrices(k_weighting_sos(sample_rate_hz))


def _lufs(power: float) -> float:
    return LOUDNESS_OFFSET_DB + 10.0 * float(np.log10(power))


def _power(lufs: float) -> float:
    return 10.0 ** ((lufs - LOUDNESS_OFFSET_DB) / 10.0)
