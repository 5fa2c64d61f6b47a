"""The waveform of a bounce's PNG art as coverage masks, one column per pixel (numpy).

Like the terminal waveform (`braille.py`), each column is drawn mirrored about the centre
line from its peak amplitude (the larger of |min| and |max|, clipped to full scale), so the
picture reads like a DAW's overview; silence still draws a thin centre line. The RMS of each
column gives a second, inner mask for the brighter core. Stroke ends are anti-aliased:
a pixel's value is how much of it the stroke covers.
"""

from __future__ import annotations

import numpy as np


def fit_columns(values: np.ndarray, columns: int, loudest: bool) -> np.ndarray:
    """`values` (one per column, any count) brought to `columns` columns by index: several
    values per column are combined (their maximum when `loudest`, else their root mean
    square), one value spreads over several columns. No values give silence; NaN counts as
    silence and infinities as full scale."""
    values = np.nan_to_num(np.abs(np.asarray(values, dtype=np.float64)), nan=0.0, posinf=1.0)
    count = len(values)
    if count == 0:
        return np.zeros(columns)
    if count == columns:
        return values
    if count < columns:
        return values[np.arange(columns) * count // columns]
    starts = np.arange(columns) * count // columns
    if loudest:
        return np.maximum.reduceat(values, starts)
    sizes = np.diff(np.append(starts, count))
    return np.sqrt(np.add.reduceat(values**2, starts) / sizes)


def peak_amplitude(minimum: np.ndarray, maximum: np.ndarray, columns: int) -> np.ndarray:
    """Per column, the larger of |min| and |max|, clipped to full scale (1.0)."""
    lowest = fit_columns(minimum, columns, loudest=True)
    highest = fit_columns(maximum, columns, loudest=True)
    return np.minimum(np.maximum(lowest, highest), 1.0)


def stroke_mask(amplitude: np.ndarray, height_px: int, min_stroke_px: float) -> np.ndarray:
    """uint8 (height_px, len(amplitude)): 255 where each column's stroke, +/- amplitude x half
    the height about the centre and at least `min_stroke_px` thick, covers a pixel."""
    half_px = height_px / 2.0
    reach_px = np.maximum(amplitude.astype(np.float32) * half_px, min_stroke_px / 2.0)
    # Row y covers [y, y + 1) measured from the top; the stroke covers [centre - reach,
    # centre + reach). The overlap of the two, clipped to 0..1, is the pixel's coverage.
    row_top = np.arange(height_px, dtype=np.float32)[:, np.newaxis] - np.float32(half_px)
    overlap = np.minimum(reach_px, row_top + 1) - np.maximum(-reach_px, row_top)
    return (np.clip(overlap, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
