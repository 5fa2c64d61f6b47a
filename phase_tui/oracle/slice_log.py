"""The slice log: every saved slice is a record of kind `slices` in the Store's journal.

A record says which file was made from which source and region, in which session and
phase, with which tags. The UI takes a screenshot of the waveform it was cut from
(Textual's `save_screenshot`); the log only records that picture's path.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from phase_tui.store import Record, Store
from phase_tui.tags import merge_tags

SLICES = "slices"


def log_slice(
    store: Store,
    *,
    path: Path,
    source: Path,
    source_id: str | None,
    start_s: float,
    end_s: float,
    session: str,
    phase: str,
    tags: Sequence[str],
    screenshot: Path | None,
    at: float,
) -> Record:
    """Record the slice saved at `path` (cut from `start_s`..`end_s` of `source`, the
    library sample `source_id` if it is one) and return the record."""
    return store.insert(
        SLICES,
        {
            "path": str(path),
            "name": path.name,
            "source": str(source),
            "source_id": source_id,
            "start_s": start_s,
            "end_s": end_s,
            "duration_s": end_s - start_s,
            "session": session,
            "phase": phase,
            "tags": merge_tags([], tags),
            "screenshot": None if screenshot is None else str(screenshot),
            "created_at": at,
        },
    )
