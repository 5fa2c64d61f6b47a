"""Open a file for the audio layer: regular files only, and notice if it changes under us.

Reading goes through one descriptor opened here, so a file deleted or replaced after it
was opened is still read consistently (its inode stays alive), and `check_unchanged` can
tell the caller the file vanished or changed size meanwhile.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from phase_tui.audio.errors import CHANGED, VANISHED, UnreadableAudio, reason_for_os_error


def open_regular_file(path: Path) -> tuple[int, os.stat_result]:
    """Open `path` read-only; return its descriptor and status. The caller closes the fd.

    `O_NONBLOCK` keeps a named pipe from blocking the open; on a regular file it changes
    nothing. Folders, pipes and devices raise `UnreadableAudio`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise UnreadableAudio(path, reason_for_os_error(error)) from error
    try:
        status = os.fstat(fd)
    except OSError as error:
        os.close(fd)
        raise UnreadableAudio(path, reason_for_os_error(error)) from error
    problem = _not_a_readable_file(status)
    if problem is not None:
        os.close(fd)
        raise UnreadableAudio(path, problem)
    return fd, status


def check_unchanged(path: Path, fd: int, opened: os.stat_result) -> None:
    """Raise `UnreadableAudio` if the open file was deleted or resized since it was opened."""
    try:
        now = os.fstat(fd)
    except OSError as error:
        raise UnreadableAudio(path, reason_for_os_error(error)) from error
    if now.st_nlink == 0:
        raise UnreadableAudio(path, VANISHED)
    if now.st_size != opened.st_size:
        raise UnreadableAudio(path, CHANGED)


def _not_a_readable_file(status: os.stat_result) -> str | None:
    if stat.S_ISDIR(status.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file (a pipe, socket or device)"
    if status.st_nlink == 0:
        return VANISHED
    return None
