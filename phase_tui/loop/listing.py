"""Bounce records as a producer browses them: filtered, grouped by track, sorted.

Shared by the bounce catalogue screen and `phase-os bounces`. A group is one track with
its versions; groups are ordered by their best version under the sort (the newest, the
longest, the loudest...), versions inside a group by the same sort.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from phase_tui.store import Record

SORTS = ("time", "name", "duration", "loudness")
"""The sort orders, in the order a key cycles through them."""

DESCENDING_FIRST = frozenset({"time", "duration", "loudness"})
"""Sorts that start with the biggest value (newest, longest, loudest); name starts at A."""

SEARCHED_FIELDS = (
    "name",
    "track",
    "version",
    "format",
    "status",
    "session",
    "phase",
    "path",
    "tags",
)


@dataclass(frozen=True)
class TrackGroup:
    """One track and its versions, in display order."""

    track: str
    versions: tuple[Record, ...]


def sort_value(record: Mapping[str, Any], sort: str) -> tuple[int, Any]:
    """The key of one record under `sort`; records without the value sort last."""
    if sort == "name":
        return (0, str(record.get("name", "")).casefold())
    field = {"time": "mtime", "duration": "duration_s", "loudness": "lufs"}[sort]
    value = record.get(field)
    return (0, float(value)) if isinstance(value, (int, float)) else (1, 0.0)


def matches(record: Mapping[str, Any], text: str) -> bool:
    """Whether every word of `text` appears (case-insensitively) in one of the fields."""
    haystack = " ".join(str(record.get(field) or "") for field in SEARCHED_FIELDS).casefold()
    return all(word in haystack for word in text.casefold().split())


def grouped(
    records: Iterable[Record], sort: str = "time", reverse: bool = False, text: str = ""
) -> list[TrackGroup]:
    """The records matching `text`, grouped by track and ordered by `sort`.

    `reverse` flips the natural direction of the sort (newest first for time, A first
    for name).
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; known: {', '.join(SORTS)}")
    descending = (sort in DESCENDING_FIRST) != reverse
    tracks: dict[str, list[Record]] = {}
    for record in records:
        if matches(record, text):
            tracks.setdefault(str(record.get("track") or record.get("name")), []).append(record)
    groups = [
        TrackGroup(track, tuple(_ordered(versions, sort, descending)))
        for track, versions in tracks.items()
    ]
    return _ordered_groups(groups, sort, descending)


def _ordered(records: list[Record], sort: str, descending: bool) -> list[Record]:
    """Records with a value first, in the direction asked; those without at the end."""
    present = [r for r in records if sort_value(r, sort)[0] == 0]
    missing = [r for r in records if sort_value(r, sort)[0] == 1]
    present.sort(key=lambda r: (sort_value(r, sort), str(r.get("id"))), reverse=descending)
    return present + sorted(missing, key=lambda r: str(r.get("name", "")).casefold())


def _ordered_groups(groups: list[TrackGroup], sort: str, descending: bool) -> list[TrackGroup]:
    """Groups by track name for `name`, else by their first (best) version."""
    by_track = sorted(
        groups, key=lambda g: g.track.casefold(), reverse=sort == "name" and descending
    )
    if sort == "name":
        return by_track
    present = [g for g in by_track if sort_value(g.versions[0], sort)[0] == 0]
    missing = [g for g in by_track if sort_value(g.versions[0], sort)[0] == 1]
    present.sort(key=lambda g: sort_value(g.versions[0], sort), reverse=descending)
    return present + missing
