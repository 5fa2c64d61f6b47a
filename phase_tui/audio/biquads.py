"""A cascade of biquads run block by block with matrix products: numpy only.

A recursive filter cannot be vectorised sample by sample, but it is linear: cut the signal
into rows of `row_frames` samples and each row's output is (its own input through the
impulse response, a lower-triangular Toeplitz matrix) plus (the state at the row's start
through the free response). The states at the row starts follow the same kind of linear
recursion one level up, solved the same way over groups of `group_rows` rows, and so on;
a few dozen matrix products per block, run by BLAS without the GIL, into scratch arrays
kept from block to block (see `scratch`), without importing scipy.signal (0.7 to 1.2 s).

In float64 the output equals scipy's `sosfilt` (transposed direct form II, the same state)
within 1e-10 of full scale whatever the block sizes. In float32, the default, it is within
1e-4 (-80 dB; the energy within 1e-6 dB), and twice as fast: 1.7 ns a sample in blocks of
65,536 stereo frames, against 3.7 in float64 and 5.3 for `sosfilt`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from phase_tui.audio.scratch import scratch

ROW_FRAMES = 32
GROUP_ROWS = 8
LEVELS = 6  # a block of up to ROW_FRAMES * GROUP_ROWS**LEVELS frames is solved at once
TILE_ROWS = 128  # rows per matrix product (see `_times`)


@dataclass(frozen=True)
class Level:
    """How `group_rows` consecutive steps of a state recursion s' = P s + u combine.

    `zero_state`: (u of the group, flattened) -> (each step's start state, then the
    group's end state), from a zero start; `from_start`: start state -> each step's start.
    Both are stored transposed, ready to right-multiply row vectors.
    """

    transition: np.ndarray  # P^T, (n, n)
    zero_state: np.ndarray  # (G n, (G + 1) n)
    from_start: np.ndarray  # (n, G n)

    @property
    def group_rows(self) -> int:
        return self.from_start.shape[1] // len(self.transition)


@dataclass(frozen=True)
class BlockMatrices:
    """The matrices of one filter at one row length (see the module docstring)."""

    impulse: np.ndarray  # T^T: (L, L), row input -> row output
    to_state: np.ndarray  # (L + 1, n): the state k samples after a unit impulse, k = 0..L
    row_to_state: np.ndarray  # (L, n): row input -> state at the row's end
    free_output: np.ndarray  # (n, L): start state -> row output with no input
    free_state: np.ndarray  # (L + 1, n, n): start state -> state k samples later (transposed)
    levels: tuple[Level, ...]

    @property
    def row_frames(self) -> int:
        return len(self.impulse)

    @property
    def dtype(self) -> np.dtype:
        return self.impulse.dtype


def block_matrices(
    sos: np.ndarray,
    row_frames: int = ROW_FRAMES,
    group_rows: int = GROUP_ROWS,
    dtype: type = np.float32,
) -> BlockMatrices:
    """Matrices of the biquad cascade `sos` (scipy rows b0 b1 b2 a0 a1 a2, a0 = 1), worked
    out in float64, then kept in `dtype`: the filter runs in the type of its matrices."""
    states = 2 * len(sos)
    impulse_out, impulse_states = _simulate(sos, np.eye(1, row_frames)[0], np.zeros(states))
    impulse = np.zeros((row_frames, row_frames))
    for i in range(row_frames):
        impulse[: i + 1, i] = impulse_out[i::-1]
    free_output = np.zeros((states, row_frames))
    free_state = np.zeros((row_frames + 1, states, states))
    for k in range(states):
        out, trace = _simulate(sos, np.zeros(row_frames), np.eye(states)[k])
        free_output[k] = out
        free_state[:, k, :] = trace
    levels = []
    transition = free_state[-1]
    for _ in range(LEVELS):
        levels.append(_level(transition, group_rows, dtype))
        transition = np.linalg.matrix_power(transition, group_rows)
    row_to_state = impulse_states[row_frames:0:-1]
    return BlockMatrices(
        *(
            np.ascontiguousarray(matrix, dtype)
            for matrix in (impulse, impulse_states, row_to_state, free_output, free_state)
        ),
        tuple(levels),
    )


class BiquadCascade:
    """The filter's state for some channels; `filter` continues where the last call ended."""

    def __init__(self, matrices: BlockMatrices, channels: int) -> None:
        self._m = matrices
        self._state = np.zeros((channels, matrices.to_state.shape[1]), matrices.dtype)  # at rest

    @property
    def dtype(self) -> np.dtype:
        """The type the filter computes in (that of its matrices)."""
        return self._m.dtype

    def filter(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Filter (channels, frames) samples, of the matrices' dtype, into `out` (a new array
        by default)."""
        out = np.empty_like(x) if out is None else out
        limit = self._m.row_frames * self._m.levels[0].group_rows ** len(self._m.levels)
        for start in range(0, x.shape[1], limit):
            self._filter_part(x[:, start : start + limit], out[:, start : start + limit])
        return out

    def _filter_part(self, x: np.ndarray, out: np.ndarray) -> None:
        """Filter whole rows by the matrices, then the frames left over (fewer than a row)."""
        m, row_frames = self._m, self._m.row_frames
        rows, tail = divmod(x.shape[1], row_frames)
        if rows:
            x_rows = x[:, : rows * row_frames].reshape(len(x), rows, row_frames)
            out_rows = out[:, : rows * row_frames].reshape(len(x), rows, row_frames)
            _times(x_rows, m.impulse, out_rows)
            channels, states = len(x), len(m.row_to_state[0])
            inputs = scratch("biquads inputs", channels, rows, states, dtype=m.dtype)
            _times(x_rows, m.row_to_state, inputs)  # each row's effect on its end state
            starts, self._state = _step_starts(inputs, self._state, m.levels, 0)
            free = scratch("biquads free response", channels, rows, row_frames, dtype=m.dtype)
            out_rows += _times(starts, m.free_output, free)
        if tail:
            x_tail, state = x[:, rows * row_frames :], self._state
            out[:, rows * row_frames :] = (
                x_tail @ m.impulse[:tail, :tail] + state @ (m.free_output[:, :tail])
            )
            self._state = state @ m.free_state[tail] + x_tail @ m.to_state[tail:0:-1]


def _times(rows: np.ndarray, matrix: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """(channels, n, k) @ (k, m), as products of TILE_ROWS rows at most.

    One big product would be split by OpenBLAS over every core, whose threads then spin
    and starve the decoding thread; tiles small enough to run on this thread alone are
    also faster (they stay in the L1 cache): 0.11 ms against 0.19 ms for 65,536 stereo
    frames through the 32 x 32 impulse matrix.
    """
    channels, count, _ = rows.shape
    if out is None:
        out = np.empty((channels, count, matrix.shape[1]), matrix.dtype)
    full = count - count % TILE_ROWS
    if full:
        tiles = (channels, full // TILE_ROWS, TILE_ROWS)
        np.matmul(rows[:, :full].reshape(*tiles, -1), matrix, out=out[:, :full].reshape(*tiles, -1))
    if full < count:
        np.matmul(rows[:, full:], matrix, out=out[:, full:])
    return out


def _step_starts(
    inputs: np.ndarray, state: np.ndarray, levels: tuple[Level, ...], depth: int
) -> tuple[np.ndarray, np.ndarray]:
    """Start state of each step of s' = P s + u for (channels, steps, n) `inputs` u, from
    `state`; and the state after the last step. Works in scratch arrays named by depth."""
    level = levels[depth]
    channels, steps, n = inputs.shape
    dtype = inputs.dtype
    group = level.group_rows
    groups = -(-steps // group)
    padded = inputs
    if groups * group != steps:  # zero input past the end changes no earlier state
        padded = scratch(f"biquads padded {depth}", channels, groups * group, n, dtype=dtype)
        padded[:, :steps] = inputs
        padded[:, steps:] = 0.0
    local = scratch(f"biquads local {depth}", channels, groups, (group + 1) * n, dtype=dtype)
    _times(padded.reshape(channels, groups, group * n), level.zero_state, local)
    local = local.reshape(channels, groups, group + 1, n)
    if groups == 1:
        group_starts = state[:, np.newaxis, :]
    else:
        group_starts, _ = _step_starts(local[:, :, group], state, levels, depth + 1)
    starts = scratch(f"biquads starts {depth}", channels, groups, group * n, dtype=dtype)
    _times(group_starts, level.from_start, starts)
    starts = starts.reshape(channels, groups, group, n)
    starts += local[:, :, :group]
    starts = starts.reshape(channels, groups * group, n)[:, :steps]
    end = starts[:, -1] @ level.transition + inputs[:, -1]
    return starts, end


def _level(transition: np.ndarray, group_rows: int, dtype: type) -> Level:
    """The `Level` of a recursion whose one-step transition is `transition` (P^T, float64),
    its matrices kept in `dtype`."""
    n = len(transition)
    powers = [np.eye(n)]
    for _ in range(group_rows):
        powers.append(powers[-1] @ transition)
    zero_state = np.zeros((group_rows * n, (group_rows + 1) * n))
    for i in range(1, group_rows + 1):  # start of step i (i = G: the group's end)
        for j in range(i):  # driven by the input of step j
            zero_state[j * n : (j + 1) * n, i * n : (i + 1) * n] = powers[i - 1 - j]
    matrices = (transition, zero_state, np.hstack(powers[:group_rows]))
    return Level(*(np.ascontiguousarray(matrix, dtype) for matrix in matrices))


def _simulate(
    sos: np.ndarray, samples: np.ndarray, state: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Run the cascade sample by sample (transposed direct form II, as `sosfilt`): the
    outputs, and the state before the first and after each sample (len + 1, n)."""
    z = [float(v) for v in state]
    outputs, trace = [], [list(z)]
    for sample in samples:
        value = float(sample)
        for s, (b0, b1, b2, _a0, a1, a2) in enumerate(sos):
            result = b0 * value + z[2 * s]
            z[2 * s] = b1 * value - a1 * result + z[2 * s + 1]
            z[2 * s + 1] = b2 * value - a2 * result
            value = result
        outputs.append(value)
        trace.append(list(z))
    return np.array(outputs), np.array(trace)
