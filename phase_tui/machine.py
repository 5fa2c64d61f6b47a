"""This machine's identity, used to name its own Store journal in a synced studio.

Each machine writes only its own `journal-<machine-id>.json`, so a sync engine never sees
two writers on one file. The id lives in the user config directory, not in the studio.
"""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

from phase_tui.atomic import atomic_write_text


def machine_id() -> str:
    """The id of this machine: `PHASE_OS_MACHINE_ID`, else a stored one, else a new one."""
    from_env = os.environ.get("PHASE_OS_MACHINE_ID")
    if from_env:
        return _slug(from_env)
    import platformdirs

    path = Path(platformdirs.user_config_dir("phase-os", appauthor=False)) / "machine-id"
    try:
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return _slug(stored)
    except OSError:
        pass
    made = f"{_slug(socket.gethostname())[:24] or 'machine'}-{os.urandom(3).hex()}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, made + "\n")
    except OSError:
        pass
    return made


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
