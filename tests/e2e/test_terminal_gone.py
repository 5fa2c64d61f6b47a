"""The real `phase-os` on a pty whose other end closes without a hang-up signal (a crashed
multiplexer): it must end, not spin at a full core reading nothing for ever."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

PHASE_OS = str(Path(sys.executable).with_name("phase-os"))


def test_the_app_ends_when_its_terminal_is_gone(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    subprocess.run([PHASE_OS, "init", str(studio)], check=True, capture_output=True)
    master, slave = pty.openpty()
    app = subprocess.Popen(
        [PHASE_OS, "--studio", str(studio)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,  # no controlling terminal: no SIGHUP will come
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    try:
        shown, deadline = b"", time.monotonic() + 15
        while b"Dashboard" not in shown and time.monotonic() < deadline:
            shown += os.read(master, 65536)
        assert b"Dashboard" in shown, "the app never painted"
        os.close(master)
        app.wait(timeout=10)  # raises TimeoutExpired while it spins
    finally:
        app.kill()
        app.wait()
