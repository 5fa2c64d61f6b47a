"""Helpers shared by tests: make a studio with a given config text."""

from __future__ import annotations

from pathlib import Path

from phase_tui.context import StudioContext
from phase_tui.session.studio import init_studio


def make_studio(root: Path, config_text: str | None = None) -> StudioContext:
    """A fresh studio at `root` (default config unless `config_text`), opened."""
    init_studio(root, config_text)
    return StudioContext.open(root)
