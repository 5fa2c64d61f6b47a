"""Opening a file with the system's own application (a digest in the editor, a PNG in the
viewer): `xdg-open` on Linux and the BSDs, `open` on macOS. The path is one argument of an
argument list, never part of a shell command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


class CannotOpen(Exception):
    """No way to open the file here; `str()` says why."""


def open_with_system(path: Path) -> None:
    """Hand `path` to the system's opener, without waiting for it."""
    if not path.exists():
        raise CannotOpen(f"{path} does not exist")
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    program = shutil.which(opener)
    if program is None:
        raise CannotOpen(f"no `{opener}` on this system to open {path.name} with")
    subprocess.Popen(  # noqa: S603 - a fixed program and one path argument
        [program, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
