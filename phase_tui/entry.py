"""Console entry point of `phase-os`: a fast path for `status`, else the click CLI.

`phase-os status` runs from a tmux status bar every few seconds; importing click alone
costs more than starting Python, so the common forms (`status`, `status --format T`,
`--studio S status ...`, the studio given or found above the current folder) are
answered here from the status snapshot with the standard library only. Anything else, or
no snapshot yet, goes to the full CLI.
"""

from __future__ import annotations

import os
import sys


def _fast_status(argv: list[str]) -> bool:
    studio = os.environ.get("PHASE_OS_STUDIO")
    if argv[:1] == ["--studio"] and len(argv) >= 2:
        studio, argv = argv[1], argv[2:]
    if argv[:1] != ["status"]:
        return False
    studio = studio or _studio_above(os.getcwd())
    if studio is None:
        return False
    rest = argv[1:]
    template = None
    if len(rest) == 2 and rest[0] == "--format":
        template = rest[1]
    elif rest:
        return False
    if not os.path.isfile(os.path.join(studio, "phase_os.toml")):
        return False
    from phase_tui.session.statusline import DEFAULT_FORMAT, fast_status

    try:
        line = fast_status(os.path.abspath(studio), template or DEFAULT_FORMAT)
    except (ValueError, KeyError):
        return False  # let the full path report it properly
    if line is None:
        return False
    sys.stdout.write(line + "\n")
    return True


def _studio_above(folder: str) -> str | None:
    while True:
        if os.path.isfile(os.path.join(folder, "phase_os.toml")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def main() -> None:
    """Run `phase-os` with the process arguments."""
    if _fast_status(sys.argv[1:]):
        return
    from phase_tui.cli import main as cli_main

    cli_main()
