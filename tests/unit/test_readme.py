"""The README documents what the code has: keys, settings, commands."""

from __future__ import annotations

from pathlib import Path

from phase_tui.app_screens import describe_bindings
from phase_tui.cli import cli
from phase_tui.config import SECTIONS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_opens_with_the_two_commands() -> None:
    head = README.splitlines()[:6]
    assert any(line.startswith("make run") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_every_binding_id_is_documented() -> None:
    for binding_id, _, _ in describe_bindings():
        assert f"`{binding_id}`" in README


def test_every_command_is_documented() -> None:
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"phase-os {name}" in README or f"`{name}" in README, name


def test_every_setting_is_documented() -> None:
    for section in SECTIONS:
        assert f"[{section.name}" in README, section.name
        for field in (*section.fields, *section.tables):
            assert f"{field.name} =" in README, f"{section.name}.{field.name}"
