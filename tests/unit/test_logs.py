"""While the TUI runs, what C libraries print to fd 2 goes to the log, not the screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import os, sys
from pathlib import Path
from phase_tui.logs import StderrToLog
with StderrToLog(Path(sys.argv[1])):
    os.write(2, b"C-LIBRARY NOISE\\n")     # like libmpg123 writing to fd 2
    sys.stderr.write("python stderr\\n")
    sys.stderr.flush()
    sys.__stderr__.write("SCREEN\\n")    # what Textual draws
    sys.__stderr__.flush()
os.write(2, b"after\\n")
"""


def test_fd2_goes_to_the_log_and_textual_keeps_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "phase_os.log"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(log)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "SCREEN\nafter\n"
    assert log.read_text() == "C-LIBRARY NOISE\npython stderr\n"
