"""Helpers shared by tests: make a studio with a given config text, wait for a condition."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from phase_tui.context import StudioContext
from phase_tui.session.studio import init_studio


def make_studio(root: Path, config_text: str | None = None) -> StudioContext:
    """A fresh studio at `root` (default config unless `config_text`), opened."""
    init_studio(root, config_text)
    return StudioContext.open(root)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    """Poll `condition` every 20 ms; whether it held within `timeout_s` (threads' tests)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
