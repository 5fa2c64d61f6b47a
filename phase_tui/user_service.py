"""The daemon as a user service: a systemd user unit (Linux) or a launchd agent (macOS).

`install` writes the file (atomically) and returns its path; it never runs `systemctl` or
`launchctl`: `enable_command` gives the command to print. Each studio has its own service,
named by a hash of the studio's path, so several studios each get a daemon.
"""

from __future__ import annotations

import hashlib
import os
import platform
import plistlib
import shlex
import sys
from pathlib import Path

from phase_tui.atomic import atomic_write_text

LABEL_PREFIX = "org.phase-os"


class UnsupportedSystem(ValueError):
    """No user service manager Phase OS knows on this system."""


def service_id(studio: Path) -> str:
    """A short, stable name for the service of `studio` (a hash of its resolved path)."""
    return hashlib.sha1(os.fsencode(Path(studio).expanduser().resolve())).hexdigest()[:12]


def daemon_argv(python: str, studio: Path) -> list[str]:
    """The command line that runs the daemon of `studio`."""
    return [python, "-m", "phase_tui", "--studio", str(studio), "daemon"]


def _systemd_word(text: str) -> str:
    """One word of a systemd command line, double-quoted; `%` and `$` made literal."""
    if "\n" in text:
        raise ValueError(f"a path with a line break cannot go in a systemd unit: {text!r}")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'


def unit_text(python: str, studio: Path) -> str:
    """The systemd user unit that runs the daemon of `studio` with `python`."""
    command = " ".join(_systemd_word(word) for word in daemon_argv(python, studio))
    description = str(studio).replace("%", "%%")
    return (
        "[Unit]\n"
        f"Description=Phase OS daemon for {description}\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={command}\n"
        "Restart=on-failure\n"
        "RestartSec=10\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def plist_text(python: str, studio: Path) -> str:
    """The launchd agent that runs the daemon of `studio` with `python` (restarted when it
    fails; its stderr in the studio's `.phase_os/daemon.err`)."""
    agent = {
        "Label": f"{LABEL_PREFIX}.{service_id(studio)}",
        "ProgramArguments": daemon_argv(python, studio),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": 10,
        "StandardErrorPath": str(Path(studio) / ".phase_os" / "daemon.err"),
    }
    return plistlib.dumps(agent).decode("utf-8")


def service_path(studio: Path, system: str, home: Path) -> Path:
    """Where the service file of `studio` goes for `system` ("Linux", "Darwin")."""
    name = service_id(studio)
    if system == "Linux":
        return home / ".config" / "systemd" / "user" / f"phase-os-{name}.service"
    if system == "Darwin":
        return home / "Library" / "LaunchAgents" / f"{LABEL_PREFIX}.{name}.plist"
    raise UnsupportedSystem(
        f"no user service for {system}: run `phase-os daemon` from your own start-up scripts"
    )


def install(studio: Path, system: str | None = None, home: Path | None = None) -> Path:
    """Write the user service of `studio` for this Python and return its path."""
    system = system or platform.system()
    studio = Path(studio).expanduser().resolve()
    path = service_path(studio, system, home or Path.home())
    text = unit_text if system == "Linux" else plist_text
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text(sys.executable, studio))
    return path


def enable_command(path: Path) -> str:
    """The shell command that enables and starts the service written at `path`."""
    if path.suffix == ".service":
        return f"systemctl --user daemon-reload && systemctl --user enable --now {path.name}"
    return f"launchctl load -w {shlex.quote(str(path))}"
