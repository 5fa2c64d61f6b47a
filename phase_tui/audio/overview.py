"""A file's overview: its peaks (from the cache when known, else read once and cached), its
detected section map and its loudness over time; what a waveform view or PNG art needs.

The cache is keyed by the hash of the file's bytes as they are now (hashing runs at
16 GB/s, far faster than decoding), so an entry for an older version of a file is never
used. Slow: call it on a worker thread.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from phase_tui.audio.hashing import content_hash
from phase_tui.audio.peaks import Peaks, compute_peaks
from phase_tui.audio.peaks_cache import PeaksCache
from phase_tui.audio.section_detection import detect_sections
from phase_tui.audio.sections import Section

log = logging.getLogger(__name__)

SECTION_HOP_S = 0.1  # the resolution of section detection
LOUDNESS_HOP_S = 0.4  # short-term level: BS.1770's momentary window
SILENCE_DB = -90.0


@dataclass(frozen=True)
class Overview:
    """Peaks, sections and the hash they belong to."""

    content_hash: str
    peaks: Peaks
    sections: tuple[Section, ...]

    def loudness_curve(self, hop_s: float = LOUDNESS_HOP_S) -> tuple[np.ndarray, np.ndarray]:
        """(times_s, level_db): the RMS level in dBFS over consecutive hops, from the peaks."""
        count = max(math.ceil(self.peaks.duration_s / hop_s), 1)
        rms = self.peaks.columns(0.0, count * hop_s, count).rms.astype(np.float64)
        level_db = 20.0 * np.log10(np.maximum(rms, 10.0 ** (SILENCE_DB / 20.0)))
        return (np.arange(count) + 0.5) * hop_s, level_db


def load_overview(
    path: Path,
    cache: PeaksCache | None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Overview:
    """The overview of the file at `path`, through `cache` when there is one; raises
    `UnreadableAudio` (and `PeaksCancelled`)."""
    digest = content_hash(path)
    peaks = cache.load(digest) if cache is not None else None
    if peaks is None:
        peaks = compute_peaks(path, progress, cancelled)
        if cache is not None:
            try:
                cache.save(digest, peaks)
            except OSError as error:  # a full disk or a read-only studio: draw it all the same
                log.warning("peaks of %s not cached: %s", path, error)
    return Overview(digest, peaks, tuple(sections_of(peaks)))


def sections_of(peaks: Peaks) -> list[Section]:
    """The section map detected from the peaks' RMS in 0.1 s hops."""
    count = max(math.ceil(peaks.duration_s / SECTION_HOP_S), 1)
    rms = peaks.columns(0.0, count * SECTION_HOP_S, count).rms
    return detect_sections(np.asarray(rms, np.float64), SECTION_HOP_S)
