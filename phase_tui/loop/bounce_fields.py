"""What a bounce record holds: the statuses, and the fields taken from a file's name,
`stat` and audio header; the small functions the catalogue builds them with.

Only a whole audio file is a bounce: a file that cannot be read is `unreadable`, one with no
audio `empty`, one whose data chunk is cut short or was never finalised `incomplete`, each
with its `reason` (the header's problem); a vanished one is `missing`, an identical copy of
another `duplicate`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from phase_tui.audio.errors import UnreadableAudio
from phase_tui.loop.tracks import split_version
from phase_tui.store import Record

log = logging.getLogger(__name__)

OK, UNREADABLE, MISSING, DUPLICATE = "ok", "unreadable", "missing", "duplicate"
EMPTY, INCOMPLETE = "empty", "incomplete"
NOT_AUDIO = frozenset({UNREADABLE, EMPTY, INCOMPLETE})
"""Statuses of files that are not (yet) a whole bounce: never hashed, never journalled."""

MOVED_FIELDS = ("path", "name", "track", "version", "size", "mtime_ns", "mtime")


def bounce_file(root: Path, record: Mapping[str, Any]) -> Path:
    """The file of a record on this machine: its stored path is studio-relative inside the
    studio `root`, absolute outside it (and an absolute path stays absolute)."""
    return root / str(record["path"])


def file_status(path: str | Path) -> os.stat_result | None:
    """The file's own status (links not followed); None when it is gone or unreachable."""
    try:
        return os.lstat(path)
    except OSError:
        return None


def unchanged(record: Mapping[str, Any] | None, st: os.stat_result) -> bool:
    """True when a present record's size and mtime still match the file."""
    return (
        record is not None
        and record.get("status") != MISSING
        and record.get("size") == st.st_size
        and record.get("mtime_ns") == st.st_mtime_ns
    )


def content_changed(known: Mapping[str, Any]) -> dict[str, Any]:
    """Fields of a known record whose file changed: the old hash is kept aside, so a file
    touched, or back as it was, is recognised and not logged again."""
    return {"hash": None, "previous_hash": known.get("hash") or known.get("previous_hash")}


def moved_fields(current: Record, original: Record, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields `original` takes over from the file it moved to."""
    moved = {key: current.get(key) for key in MOVED_FIELDS}
    keep = {key: value for key, value in fields.items() if key != "status"}
    return {
        **keep,
        **moved,
        "status": OK if original.get("status") == MISSING else original.get("status"),
        "missing_since": None,
        "hash": original["hash"],
    }


def failure_reason(error: Exception) -> str:
    """The reason recorded when reading a file failed unexpectedly (the log has the rest)."""
    return f"reading failed unexpectedly ({type(error).__name__}: {error}); see the log"


def folder_prefix(location: str) -> str:
    """The prefix of every stored path under a folder stored as `location`."""
    return "" if location == "." else location.rstrip("/") + "/"


def header_fields(path: Path, st: os.stat_result) -> dict[str, Any]:
    """The fields a record gets from its file's name, stat and audio header."""
    track, version = split_version(path.name)
    fields: dict[str, Any] = {
        "name": path.name,
        "track": track,
        "version": version,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "mtime": st.st_mtime,
        "analysed": False,
        "missing_since": None,
    }
    from phase_tui.audio.probe import probe  # soundfile: only once there is audio

    try:
        header = probe(path)
    except UnreadableAudio as error:
        return {**fields, "status": UNREADABLE, "reason": error.reason}
    except Exception as error:  # a library's surprise: this file only, the batch goes on
        log.exception("reading the header of %s failed", path)
        return {**fields, "status": UNREADABLE, "reason": failure_reason(error)}
    status = EMPTY if header.frames == 0 else INCOMPLETE if header.problem else OK
    return {
        **fields,
        "status": status,
        "reason": header.problem,
        "problem": header.problem,
        "format": header.format,
        "subtype": header.subtype,
        "sample_rate_hz": header.sample_rate_hz,
        "channels": header.channels,
        "frames": header.frames,
        "duration_s": header.duration_s,
    }
