"""Logging to `.phase_os/phase_os.log`, and keeping C libraries off the screen.

While the TUI runs, file descriptor 2 points at the log, so a C library (libmpg123,
PortAudio, ALSA) that prints to stderr cannot garble the screen. Textual itself draws on
`sys.__stderr__`, so that is re-opened on a duplicate of the terminal first.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import IO

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(log_path: Path, level: int = logging.INFO) -> None:
    """Send the `phase_tui` loggers (and warnings) to a rotating log file."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_phase_os", False)]:
        root.removeHandler(old)
        old.close()
    handler._phase_os = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)


class StderrToLog:
    """Context manager: fd 2 -> the log file; `sys.__stderr__` -> the terminal (for Textual)."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self._saved_fd: int | None = None
        self._terminal: IO[str] | None = None
        self._saved_streams: tuple[object, object] | None = None

    def __enter__(self) -> StderrToLog:
        sys.stderr.flush()
        self._saved_fd = os.dup(2)
        self._terminal = os.fdopen(os.dup(self._saved_fd), "w", encoding="utf-8", errors="replace")
        log_fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(log_fd, 2)
        os.close(log_fd)
        self._saved_streams = (sys.__stderr__, sys.stderr)
        sys.__stderr__ = self._terminal  # type: ignore[misc]
        sys.stderr = os.fdopen(os.dup(2), "w", encoding="utf-8", errors="replace", buffering=1)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._saved_fd is not None and self._saved_streams is not None
        sys.stderr.flush()
        redirected = sys.stderr
        sys.__stderr__, sys.stderr = self._saved_streams  # type: ignore[misc,assignment]
        redirected.close()
        os.dup2(self._saved_fd, 2)
        os.close(self._saved_fd)
        if self._terminal is not None:
            self._terminal.close()
