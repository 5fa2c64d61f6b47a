"""Detect a track's sections (intro, build, drop, breakdown, outro) from its energy.

`detect_sections` takes the RMS of consecutive hops and returns `Section`s that tile the
track. How it finds them:

1. Level: each hop in dB (floored at -90 dB), smoothed by a running median over ~1 s, which
   keeps a step where it is and lets a short gap (a break of silence in a drop) vanish.
2. Candidates: the novelty of each hop is how far the mean level in a window after it lies
   from the mean level in a window before it (windows of 1/64 of the track, at least 2 s);
   its peaks above `NOVELTY_DB` are candidate boundaries.
3. Merging: a section shorter than the minimum (4 s, or 1/16 of the track) joins the
   neighbour whose union with it a straight line in dB fits better; then neighbours are
   merged while one line fits them nearly as well as two (`MERGE_DB`), so a level step of a
   few dB, or a steady ramp such as a fade-out, stays one section.
4. Labels come from each section's level, peak and rise and from its position: `_labels`.

Pure numpy: every step is vectorised over hops; the loops run over a few dozen boundaries.
"""

from __future__ import annotations

import numpy as np

from phase_tui.audio.sections import Section

FLOOR_DB = -90.0  # silence
SMOOTHING_S = 1.0
SHORTEST_TRACK_S = 8.0  # below this, the whole track is one section
MIN_SECTION_S = 4.0  # a section lasts at least this, and at least 1/16 of the track
NOVELTY_DB = 3.0  # a level change smaller than this proposes no boundary
MERGE_DB = 1.0  # RMS misfit (dB) of one line over two neighbours below which they merge
DROP_WITHIN_DB = 3.0  # a drop is within this of the loudest section
STEP_DB = 3.0  # a build is this much louder than the section before it...
RISE_DB = 6.0  # ...or rises by this much across itself
BREAKDOWN_DB = 6.0  # a breakdown is this much quieter than the loudest section near it


def detect_sections(rms: np.ndarray, hop_s: float) -> list[Section]:
    """Sections of audio whose RMS (linear, all channels) over consecutive hops of `hop_s`
    seconds is `rms` (e.g. 0.1 s hops; the caller makes it from the waveform peaks). The list
    covers [0, len(rms) * hop_s) without gaps or overlaps, in time order; it is empty for
    empty `rms`, and one section for audio under 8 s or without a clear change.

    Ids come from start times (`s00423` starts at 42.3 s), so the same audio gives the same
    ids and a change late in the track leaves the earlier sections' ids alone."""
    if hop_s <= 0:
        raise ValueError(f"hop_s must be positive, not {hop_s}")
    power = np.square(np.asarray(rms, dtype=np.float64))
    if power.ndim != 1:
        raise ValueError(f"rms must be one-dimensional, not shaped {power.shape}")
    hops = len(power)
    if hops == 0:
        return []
    level_db = _smoothed_db(power, max(1, round(SMOOTHING_S / hop_s)))
    fits = _LineFits(level_db)
    edges = np.array([0, hops])
    if hops * hop_s >= SHORTEST_TRACK_S:
        edges = _boundaries(level_db, fits, hop_s)
    starts, ends = edges[:-1], edges[1:]
    energy_sums = np.concatenate([[0.0], np.cumsum(power)])
    mean_power = (energy_sums[ends] - energy_sums[starts]) / (ends - starts)
    levels_db = 10.0 * np.log10(np.maximum(mean_power, 10.0 ** (FLOOR_DB / 10.0)))
    rises_db = fits.slope(starts, ends) * (ends - starts - 1)
    peaks_db = np.maximum.reduceat(level_db, starts)
    labels = _labels(levels_db, peaks_db, rises_db)
    span_db = levels_db.max() - levels_db.min()
    energies = (levels_db - levels_db.min()) / span_db if span_db > 0 else np.ones(len(starts))
    return [
        Section(f"s{round(start * hop_s * 10):05d}", label, start * hop_s, end * hop_s, energy)
        for start, end, label, energy in zip(
            starts.tolist(), ends.tolist(), labels, energies.tolist(), strict=True
        )
    ]


def _smoothed_db(power: np.ndarray, width: int) -> np.ndarray:
    """The level in dB (floored), the median over `width` hops centred on each hop: a gap
    or a spike shorter than half of that leaves no trace, and a step stays where it is."""
    level_db = 10.0 * np.log10(np.maximum(power, 10.0 ** (FLOOR_DB / 10.0)))
    half = width // 2
    windows = np.lib.stride_tricks.sliding_window_view(
        np.pad(level_db, half, mode="edge"), 2 * half + 1
    )
    return np.partition(windows, half, axis=1)[:, half]


def _boundaries(level_db: np.ndarray, fits: _LineFits, hop_s: float) -> np.ndarray:
    """Section edges in hops, from 0 to len(level_db): peaks of novelty, merged."""
    hops = len(level_db)
    duration_s = hops * hop_s
    min_hops = max(2, round(max(MIN_SECTION_S, duration_s / 16) / hop_s))
    # Windows of 1/64 of the track (at least 2 s): wide enough to average over bars of a
    # long track, never wider than half a minimum section.
    window = max(1, min(min_hops // 2, round(max(2.0, duration_s / 64) / hop_s)))
    sums = np.concatenate([[0.0], np.cumsum(level_db)])
    novelty = np.zeros(hops)
    inner = np.arange(min_hops, hops - min_hops + 1)  # boundaries far enough from the ends
    after = sums[inner + window] - sums[inner]
    before = sums[inner] - sums[inner - window]
    novelty[inner] = np.abs(after - before) / window
    candidates = _peaks(novelty, max(1, window // 2))
    return _merged(np.array([0, *candidates, hops]), fits, min_hops)


def _peaks(novelty: np.ndarray, radius: int) -> list[int]:
    """Hops where `novelty` reaches `NOVELTY_DB` and is highest within `radius` hops: the
    middle of each run of equal highs, and of highs closer than `radius` the higher."""
    rounded = np.round(novelty, 6)  # so a flat top is equal all along
    found = np.flatnonzero((rounded >= NOVELTY_DB) & (rounded == _sliding_max(rounded, radius)))
    runs = np.split(found, np.flatnonzero(np.diff(found) > 1) + 1) if len(found) else []
    middles = [int(run[len(run) // 2]) for run in runs]
    kept: list[int] = []
    for hop in sorted(middles, key=lambda hop: (-rounded[hop], hop)):
        if all(abs(hop - other) > radius for other in kept):
            kept.append(hop)
    return sorted(kept)


def _sliding_max(values: np.ndarray, radius: int) -> np.ndarray:
    """The maximum of `values` within `radius` of each index, in log2(radius) passes."""
    width = 2 * radius + 1
    highest = np.pad(values, radius, constant_values=-np.inf)
    span = 1  # highest[i] is the max of the padded values[i : i + span]
    while span * 2 <= width:
        highest = np.maximum(highest[:-span], highest[span:])
        span *= 2
    return np.maximum(highest[: len(values)], highest[width - span : width - span + len(values)])


def _merged(edges: np.ndarray, fits: _LineFits, min_hops: int) -> np.ndarray:
    """`edges` without the boundaries of sections shorter than `min_hops` (of its two, the
    one whose removal adds less squared misfit), then without those between sections that
    one line fits within `MERGE_DB` RMS of two (the best-fitting pair first)."""
    while len(edges) > 2:
        left, middle, right = edges[:-2], edges[1:-1], edges[2:]
        extra = fits.sse(left, right) - fits.sse(left, middle) - fits.sse(middle, right)
        misfit_db = np.sqrt(np.maximum(extra, 0.0) / (right - left))
        lengths = np.diff(edges)
        shortest = int(np.argmin(lengths))
        if lengths[shortest] < min_hops:  # edge i is the middle of misfit i - 1
            sides = [side for side in (shortest, shortest + 1) if 0 < side < len(edges) - 1]
            removed = min(sides, key=lambda side: extra[side - 1])
        elif misfit_db.min() < MERGE_DB:
            removed = int(np.argmin(misfit_db)) + 1
        else:
            break
        edges = np.delete(edges, removed)
    return edges


class _LineFits:
    """Least-squares lines through spans [start, end) of a series, each in O(1) from
    prefix sums: the squared misfit and the slope, for arrays of spans at once."""

    def __init__(self, values: np.ndarray) -> None:
        index = np.arange(len(values), dtype=np.float64)
        terms = (np.ones_like(index), index, index * index, values, index * values, values**2)
        self._sums = [np.concatenate([[0.0], np.cumsum(term)]) for term in terms]

    def _moments(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, ...]:
        n, sx, sxx, sy, sxy, syy = (sums[end] - sums[start] for sums in self._sums)
        return n, sxx - sx * sx / n, sxy - sx * sy / n, syy - sy * sy / n

    def sse(self, start: np.ndarray | int, end: np.ndarray | int) -> np.ndarray:
        """Sum of squared residuals of the best line through each span."""
        _, xx, xy, yy = self._moments(np.asarray(start), np.asarray(end))
        return yy - np.divide(xy * xy, xx, out=np.zeros_like(xy), where=xx > 0)

    def slope(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Slope of the best line through each span, per index."""
        _, xx, xy, _ = self._moments(start, end)
        return np.divide(xy, xx, out=np.zeros_like(xy), where=xx > 0)


def _labels(levels_db: np.ndarray, peaks_db: np.ndarray, rises_db: np.ndarray) -> list[str]:
    """Labels a producer recognises, from each section's level (RMS in dB), peak (loudest
    smoothed moment) and rise, numbered when they repeat ("drop", "drop 2"):

    - "drop": within `DROP_WITHIN_DB` of the loudest section;
    - "intro" / "outro": the first / last section when it is not a drop (so it is quieter
      than the loudest section after / before it);
    - "build": just before a drop, and louder than the section before it or rising;
    - "breakdown": `BREAKDOWN_DB` quieter than the loudest section on one side, and
      `STEP_DB` below the peak on the other (an outro that fades out still counts as louder);
    - "section": anything else, and the whole track when it is one section.
    """
    count = len(levels_db)
    if count == 1:
        return ["section"]
    bases = ["drop" if level >= levels_db.max() - DROP_WITHIN_DB else "" for level in levels_db]
    bases[0] = bases[0] or "intro"
    bases[-1] = bases[-1] or "outro"
    for index in range(1, count - 1):
        if bases[index]:
            continue
        level_db = levels_db[index]
        step_up_db = level_db - levels_db[index - 1]
        sides = (slice(0, index), slice(index + 1, count))
        loudest_db = max(levels_db[side].max() for side in sides)
        lowest_peak_db = min(peaks_db[side].max() for side in sides)
        if bases[index + 1] == "drop" and (step_up_db >= STEP_DB or rises_db[index] >= RISE_DB):
            bases[index] = "build"
        elif loudest_db - level_db >= BREAKDOWN_DB and lowest_peak_db - level_db >= STEP_DB:
            bases[index] = "breakdown"
        else:
            bases[index] = "section"
    labels = []
    for index, base in enumerate(bases):
        repeat = bases[:index].count(base) + 1
        labels.append(base if repeat == 1 else f"{base} {repeat}")
    return labels
