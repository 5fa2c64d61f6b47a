"""The session scratchpad: a Markdown file per session that spoken notes are appended to.

Several memos may be noted at once (worker threads, other Phase OS processes), so a note
is one `O_APPEND` write followed by fsync, and a new file appears with its heading already
in it (written to a temporary file, then hard-linked into place), so nothing already in
the file is ever lost or reordered under its heading.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from phase_tui.atomic import fsync_folder

_MAX_NAME_BYTES = 200
_UNSAFE = frozenset('/\\:*?"<>|')


def scratchpad_path(studio_root: Path, session: str) -> Path:
    """`studio_root/scratchpad/<session>.md`, the name made safe to use as a file name."""
    return studio_root / "scratchpad" / f"{_safe_name(session)}.md"


def append_note(
    studio_root: Path, session: str, text: str, at: float, source: str = "memo"
) -> Path:
    """Append `- HH:MM text (source)` (local time of `at`) to the session's scratchpad,
    creating it under a `# Scratchpad — <session>` heading; returns the file."""
    path = scratchpad_path(studio_root, session)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create(path, f"# Scratchpad — {_one_line(session)}\n\n")
    line = f"- {time.strftime('%H:%M', time.localtime(at))} {_one_line(text)} ({_one_line(source)})"
    data = f"{line}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(f"short write appending to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def _create(path: Path, heading: str) -> None:
    """Put a file holding `heading` at `path` unless another appender already did."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(heading.encode())
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp_name, path)
    finally:
        os.unlink(tmp_name)
    fsync_folder(path.parent)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _safe_name(session: str) -> str:
    """`session` without path separators, control or reserved characters, or leading dots,
    short enough for any file system; "session" when nothing is left."""
    kept = "".join(
        "_" if char in _UNSAFE or not char.isprintable() else char for char in session.strip()
    )
    while len(kept.encode()) > _MAX_NAME_BYTES:
        kept = kept[:-1]
    return kept.strip(". ") or "session"
