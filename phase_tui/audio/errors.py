"""`UnreadableAudio`, the one error of the audio layer, and the short reasons it carries.

Stdlib only, so `hashing` can raise it without loading numpy or libsndfile. Every failure
to open or read a file (missing, a folder, empty, not audio, deleted while being read)
becomes an `UnreadableAudio` whose `reason` is a sentence a producer can read in the log.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

VANISHED = "file vanished while reading"
CHANGED = "file changed while reading (it is still being written or was replaced)"
EMPTY = "empty file (0 bytes)"


class UnreadableAudio(Exception):
    """The file cannot be read as audio; `reason` is a short human sentence."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def reason_for_os_error(error: OSError) -> str:
    """A short sentence for an `OSError` raised while opening or reading a file."""
    if isinstance(error, FileNotFoundError):
        return "file not found"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if error.errno == errno.ESTALE:
        return VANISHED
    return f"cannot read the file ({os.strerror(error.errno or errno.EIO).lower()})"
