"""Waveforms as text: braille (2 x 4 dots a cell) or blocks, mirrored about the centre line.

Pure and vectorised (numpy, no loop per cell): the waveform widget, `phase-os wave` and the
tests all draw through `draw_waveform`. Each column of the waveform is drawn from its peak
amplitude (the larger of |min| and |max|) upwards and downwards from the centre, so the
picture reads like a DAW's overview; silence still draws the centre line. The RMS of each
column is given back as a mask of the cells inside it, for a brighter inner colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BRAILLE_BASE = 0x2800
# Bit of each dot in a braille cell, by (dot row 0..3, dot column 0..1): dots 1-2-3-7 on
# the left, 4-5-6-8 on the right (Unicode's order).
BRAILLE_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], np.uint32)
BLOCK_STYLE, BRAILLE_STYLE = "blocks", "braille"


@dataclass(frozen=True)
class WaveText:
    """A drawn waveform: `rows` of equal length, and which cells lie inside the RMS band."""

    rows: list[str]
    inner: np.ndarray  # bool (len(rows), width): cells within +/- the column's RMS

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


def columns_per_cell(style: str) -> int:
    """How many waveform columns one character cell shows: 2 in braille, 1 in blocks."""
    return 2 if style == BRAILLE_STYLE else 1


def draw_waveform(
    minimum: np.ndarray, maximum: np.ndarray, rms: np.ndarray, height: int, style: str
) -> WaveText:
    """Draw columns of (min, max, rms), full scale = 1.0, in `height` text rows. Braille
    takes two columns a cell (an odd count leaves the last half cell empty), blocks one."""
    extremes = np.maximum(np.abs(minimum), np.abs(maximum))
    amplitude = np.minimum(np.nan_to_num(extremes, nan=0.0), 1.0)  # NaN samples: silence
    per_cell = columns_per_cell(style)
    levels_per_row = 4 if style == BRAILLE_STYLE else 2  # dots, or half cells for blocks
    levels = height * levels_per_row  # vertical resolution, top to bottom
    half = levels / 2.0
    # Each column fills the levels whose centres lie within +/- amplitude of the middle;
    # at least the two middle levels, so that silence is a line.
    reach = np.maximum(np.ceil(amplitude * half - 0.5), 1.0)
    level_index = np.arange(levels)[:, np.newaxis] + 0.5 - half  # distance to the middle
    filled = np.abs(level_index) < reach[np.newaxis, :]
    text = _braille(filled, height) if style == BRAILLE_STYLE else _blocks(filled, height)
    core = np.minimum(np.nan_to_num(rms, nan=0.0), 1.0)
    inner = _inner_cells(core, height, per_cell, len(text[0]) if text else 0)
    return WaveText(text, inner)


def _braille(filled: np.ndarray, height: int) -> list[str]:
    columns = filled.shape[1]
    width = -(-columns // 2)
    dots = np.zeros((height * 4, width * 2), bool)
    dots[:, :columns] = filled
    cells = dots.reshape(height, 4, width, 2)
    codes = np.einsum("hrwc,rc->hw", cells.astype(np.uint32), BRAILLE_BITS) + BRAILLE_BASE
    return [row.astype("<u4").tobytes().decode("utf-32-le") for row in codes]


def _blocks(filled: np.ndarray, height: int) -> list[str]:
    halves = filled.reshape(height, 2, filled.shape[1])
    upper, lower = halves[:, 0, :], halves[:, 1, :]
    chars = np.where(upper & lower, "█", np.where(upper, "▀", np.where(lower, "▄", " ")))
    return ["".join(row) for row in chars]


def _inner_cells(rms: np.ndarray, height: int, per_cell: int, width: int) -> np.ndarray:
    """Cells whose whole height lies within +/- the RMS of the loudest column they show."""
    padded = np.zeros(width * per_cell)
    padded[: len(rms)] = rms
    cell_rms = padded.reshape(width, per_cell).max(axis=1)
    row_edge = np.abs(np.arange(height)[:, np.newaxis] + 0.5 - height / 2.0) + 0.5
    return row_edge <= cell_rms[np.newaxis, :] * height / 2.0
