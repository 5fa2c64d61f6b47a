"""`phase-os form`: new, list, show, diff, activate from the shell."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from phase_tui.cli import cli
from phase_tui.session.studio import init_studio


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def test_new_saves_a_version_makes_it_active_and_the_same_seed_repeats(tmp_path: Path) -> None:
    studio = init_studio(tmp_path / "studio").root
    code, out = run(studio, "form", "new", "memory spike", "--seed", "7")
    assert code == 0, out
    assert out.startswith("memory spike: ") and "template club, seed 7" in out
    assert len(list((studio / "forms" / "memory-spike").glob("*.json"))) == 1
    code, again = run(studio, "form", "new", "memory spike", "--seed", "7", "--json")
    assert code == 0 and json.loads(again)["form"]["seed"] == 7
    assert len(list((studio / "forms" / "memory-spike").glob("*.json"))) == 1  # same content
    run(studio, "form", "new", "memory spike", "--seed", "8")
    code, listed = run(studio, "form", "list")
    lines = listed.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("  memory spike@1 ") and lines[1].startswith("* memory spike@2 ")


def test_show_diff_and_activate_by_reference(tmp_path: Path) -> None:
    studio = init_studio(tmp_path / "studio").root
    run(studio, "form", "new", "night drive", "--seed", "1")
    run(studio, "form", "new", "night drive", "--seed", "2")
    code, shown = run(studio, "form", "show", "night drive@1")
    assert code == 0 and "seed 1" in shown
    code, changes = run(studio, "form", "diff", "night drive@1")
    assert code == 0 and changes.splitlines()[2].startswith("old |")
    code, as_json = run(studio, "form", "diff", "night drive@1", "night drive@2", "--json")
    assert code == 0 and {"sections", "tempo", "length_delta_s"} <= set(json.loads(as_json))
    code, out = run(studio, "form", "activate", "night drive@1")
    assert code == 0 and out.startswith("active: night drive ")
    code, active = run(studio, "form", "show")
    assert "seed 1" in active
    code, out = run(studio, "form", "show", "nope@3")
    assert code == 1 and "no form map version 'nope@3'" in out
    code, out = run(studio, "form", "new", "x", "--template", "polka")
    assert code == 1 and "polka" in out and "Traceback" not in out
