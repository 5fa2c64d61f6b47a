"""Console entry point of `phase-os`: fast paths for the commands run most, else click.

`phase-os status` runs from a tmux status bar every few seconds, and `phase-os phase set`
or `notify` from hotkeys and DAW scripts; importing click alone costs more than starting
Python. So these forms are answered here with the standard library only:
- `status [--format T]`, from the status snapshot;
- `phase`, `phase set NAME`, `notify TEXT...`, `memo start|stop|toggle` (a push-to-talk
  hotkey), through the control socket of a running app;
- no command at all: the app opens without the CLI's imports.
The studio is `--studio S` (first), else `$PHASE_OS_STUDIO`, else found above the current
folder. Anything else, no snapshot, or no running app, goes to the full CLI.
"""

from __future__ import annotations

import os
import sys


def _studio_above(folder: str) -> str | None:
    while True:
        if os.path.isfile(os.path.join(folder, "phase_os.toml")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _split_studio(argv: list[str]) -> tuple[str | None, list[str]]:
    """(the --studio given, the rest of the arguments)."""
    if argv[:1] == ["--studio"] and len(argv) >= 2:
        return argv[1], argv[2:]
    return None, argv


def _known_studio(explicit: str | None) -> str | None:
    studio = explicit or os.environ.get("PHASE_OS_STUDIO") or _studio_above(os.getcwd())
    if studio is None or not os.path.isfile(os.path.join(studio, "phase_os.toml")):
        return None
    return os.path.abspath(studio)


def _fast_status(studio: str, rest: list[str]) -> bool:
    template = None
    if len(rest) == 2 and rest[0] == "--format":
        template = rest[1]
    elif rest:
        return False
    from phase_tui.session.statusline import DEFAULT_FORMAT, fast_status

    try:
        line = fast_status(studio, template or DEFAULT_FORMAT)
    except (ValueError, KeyError):
        return False  # let the full path report it properly
    if line is None:
        return False
    sys.stdout.write(line + "\n")
    return True


def _fast_shell(studio: str, rest: list[str]) -> bool:
    """Send `phase`, `phase set NAME`, `notify TEXT` or `memo start|stop|toggle` to the
    running app, if there is one."""
    if rest == ["phase"]:
        cmd, args, shown = "phase.get", {}, "{}"
    elif len(rest) == 3 and rest[:2] == ["phase", "set"]:
        cmd, args, shown = "phase.set", {"name": rest[2]}, "phase: {}"
    elif len(rest) >= 2 and rest[0] == "notify" and not rest[1].startswith("-"):
        cmd, args, shown = "notify", {"text": " ".join(rest[1:])}, ""
    elif len(rest) == 2 and rest[0] == "memo" and rest[1] in ("start", "stop", "toggle"):
        cmd, args, shown = f"memo.{rest[1]}", {}, "{0[name]}: {0[status]}"
    else:
        return False
    from pathlib import Path

    from phase_tui.control_client import CommandError, send

    try:
        result = send(Path(studio) / ".phase_os", cmd, **args)
    except (ConnectionError, OSError):
        return False  # no app runs: the full CLI works on the files
    except CommandError as error:
        sys.stderr.write(f"Error: {error}\n")
        sys.exit(1)
    if shown:
        sys.stdout.write(shown.format(result) + "\n")
    return True


def _open_app(explicit: str | None) -> None:
    from pathlib import Path

    from phase_tui.config import ConfigError
    from phase_tui.context import StudioContext

    try:
        context = StudioContext.open(Path(explicit) if explicit else None)
    except ConfigError as error:
        sys.stderr.write(f"Error: {error}\n")
        sys.exit(1)
    from phase_tui.app import run_app

    sys.exit(run_app(context))


def main() -> None:
    """Run `phase-os` with the process arguments."""
    explicit, rest = _split_studio(sys.argv[1:])
    if not rest:
        _open_app(explicit)
    if rest[0] in ("status", "phase", "notify", "memo") and (studio := _known_studio(explicit)):
        fast = _fast_status(studio, rest[1:]) if rest[0] == "status" else _fast_shell(studio, rest)
        if fast:
            return
    from phase_tui.cli import main as cli_main

    cli_main()
