"""Driving the real `phase-os` command in a detached tmux session (the e2e tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PHASE_OS = str(Path(sys.executable).with_name("phase-os"))
PASSED_ENV = ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "PHASE_OS_MACHINE_ID")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def capture(session: str) -> str:
    """The text on the session's screen now."""
    return tmux("capture-pane", "-p", "-t", session)


def start(session: str, command: str) -> None:
    """Run `command` in a new 120 x 34 session with this test's environment (a tmux server
    keeps the environment it started with: ours is passed explicitly)."""
    env_args = [arg for name in PASSED_ENV for arg in ("-e", f"{name}={os.environ[name]}")]
    tmux(
        "new-session", "-d", "-s", session, "-x", "120", "-y", "34", *env_args,
        "-e", "TERM=xterm-256color", command,
    )  # fmt: skip
