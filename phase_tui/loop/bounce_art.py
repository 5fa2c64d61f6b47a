"""PNG art of a bounce or of any audio file: its overview drawn by `audio.art`, in `art/`.

The title is the track and version (`memory spike v2`), the details its length, loudness
and rate. Used by `phase-os art`, the `a` key and, with `[art] auto = true`, every new
bounce. Slow (reads the audio unless its peaks are cached): call it off the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from phase_tui.audio.art import ArtRequest, art_file_name, render_art, save_art, waveform_columns
from phase_tui.audio.errors import UnreadableAudio
from phase_tui.audio.overview import load_overview
from phase_tui.audio.peaks_cache import PeaksCache
from phase_tui.config.settings import ArtSettings
from phase_tui.formatting import format_clock
from phase_tui.loop.bounce_fields import bounce_file
from phase_tui.loop.tracks import split_version
from phase_tui.session.studio import Studio

log = logging.getLogger(__name__)


def bounce_details(record: Mapping[str, Any]) -> str:
    """`3:17 · -9.8 LUFS · 44.1 kHz` from what a bounce record holds."""
    parts = [format_clock(record.get("duration_s"))]
    if record.get("lufs") is not None:
        parts.append(f"{float(record['lufs']):.1f} LUFS")
    if record.get("sample_rate_hz"):
        parts.append(f"{int(record['sample_rate_hz']) / 1000:g} kHz")
    return " · ".join(parts)


def file_details(path: Path) -> str:
    """The same details measured from a file that is not a bounce record."""
    from phase_tui.audio.levels import analyse_levels
    from phase_tui.audio.probe import probe

    header = probe(path)
    levels = analyse_levels(path)
    measured = {"duration_s": header.duration_s, "lufs": levels.lufs}
    return bounce_details({**measured, "sample_rate_hz": header.sample_rate_hz})


def make_art(
    path: Path,
    details: str,
    colour: str,
    settings: ArtSettings,
    cache: PeaksCache,
    folder: Path,
    out: Path | None = None,
) -> Path:
    """Draw the art of the audio file at `path` and save it (to `out`, else into `folder`
    under a name made from the track, version and content hash); the PNG's path. Raises
    `UnreadableAudio` for a file that cannot be read."""
    overview = load_overview(path, cache)
    track, version = split_version(path.name)
    title = f"{track} {version}" if version else track
    width = waveform_columns(settings.width)
    duration_s = overview.peaks.duration_s
    columns = overview.peaks.columns(0.0, duration_s, width)
    request = ArtRequest(
        title=title,
        details=details,
        duration_s=duration_s,
        minimum=columns.minimum,
        maximum=columns.maximum,
        rms=columns.rms,
        sections=overview.sections,
        colour=colour,
        width_px=settings.width,
        height_px=settings.height,
    )
    target = out or folder / art_file_name(track, version, overview.content_hash)
    return save_art(render_art(request), target)


class AutoArt:
    """Makes the art of every new bounce, one at a time on a thread of its own (`[art]
    auto = true`); a file that cannot be read is logged and skipped."""

    def __init__(self, root: Path, settings: ArtSettings) -> None:
        self._root = root
        self._settings = settings
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="bounce-art")

    def submit(self, records: Iterable[Mapping[str, Any]], colour: str) -> None:
        """Queue the art of `records` in the phase colour `colour`."""
        for record in records:
            self._pool.submit(self._make, dict(record), colour)

    def stop(self) -> None:
        """Drop what is queued; wait for the picture being drawn."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _make(self, record: Mapping[str, Any], colour: str) -> None:
        studio = Studio(self._root)
        try:
            make_art(
                bounce_file(self._root, record),
                bounce_details(record),
                colour,
                self._settings,
                PeaksCache(studio.peaks_dir),
                studio.art_dir,
            )
        except UnreadableAudio as error:
            log.info("no art for %s: %s", record.get("path"), error.reason)
        except Exception:  # one picture failing must not stop the next
            log.exception("art for %s failed", record.get("path"))
