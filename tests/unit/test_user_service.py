"""The daemon as a user service: a systemd unit on Linux, a launchd agent on macOS, each
quoting a studio path with spaces right, written where the service manager looks."""

from __future__ import annotations

import plistlib
import shlex
from pathlib import Path

import pytest

from phase_tui.user_service import (
    UnsupportedSystem,
    enable_command,
    install,
    plist_text,
    service_id,
    unit_text,
)

PYTHON = "/opt/phase os/bin/python"


def exec_start(unit: str) -> list[str]:
    line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_systemd_unit_quotes_paths_with_spaces(tmp_path: Path) -> None:
    studio = tmp_path / "My Studio 100%"
    unit = unit_text(PYTHON, studio)
    assert exec_start(unit) == [
        PYTHON,
        "-m",
        "phase_tui",
        "--studio",
        str(studio).replace("%", "%%"),  # systemd reads %% as one %
        "daemon",
    ]
    assert "Restart=on-failure" in unit.splitlines()
    assert "WantedBy=default.target" in unit.splitlines()


def test_install_on_linux_writes_a_user_unit(tmp_path: Path) -> None:
    studio = tmp_path / "my studio"
    studio.mkdir()
    home = tmp_path / "home"
    path = install(studio, system="Linux", home=home)
    assert path == home / ".config/systemd/user" / f"phase-os-{service_id(studio)}.service"
    assert exec_start(path.read_text())[4] == str(studio.resolve())
    assert enable_command(path).endswith(f"systemctl --user enable --now {path.name}")
    assert install(studio, system="Linux", home=home) == path  # again: the same file


def test_install_on_macos_writes_a_launch_agent(tmp_path: Path) -> None:
    studio = tmp_path / "my studio & friends"
    studio.mkdir()
    home = tmp_path / "home"
    path = install(studio, system="Darwin", home=home)
    label = f"org.phase-os.{service_id(studio)}"
    assert path == home / "Library/LaunchAgents" / f"{label}.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == label
    assert agent["ProgramArguments"][3:] == ["--studio", str(studio.resolve()), "daemon"]
    assert agent["KeepAlive"] == {"SuccessfulExit": False}
    assert agent["RunAtLoad"] is True
    assert shlex.split(enable_command(path)) == ["launchctl", "load", "-w", str(path)]


def test_each_studio_has_its_own_service(tmp_path: Path) -> None:
    assert service_id(tmp_path / "a") != service_id(tmp_path / "b")
    assert plist_text(PYTHON, tmp_path / "a") != plist_text(PYTHON, tmp_path / "b")


def test_other_systems_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedSystem, match="run `phase-os daemon`"):
        install(tmp_path, system="Windows", home=tmp_path)
