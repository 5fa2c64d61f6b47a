"""The `phase-os` commands on a studio with no app running."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from phase_tui.cli import cli
from phase_tui.session.statusline import read_snapshot


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def test_init_then_phase_get_and_set_offline(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    code, out = run(studio, "phase")
    assert (code, out.strip()) == (0, "oracle")
    code, out = run(studio, "phase", "set", "builder")
    assert code == 0 and out.strip() == "phase: builder"
    assert (studio / "current_phase.txt").read_text() == "builder\n"
    code, out = run(studio, "phase", "set", "jazz")
    assert code == 1 and "unknown phase 'jazz'" in out
    code, out = run(studio, "log", "--json")
    changes = [e for e in json.loads(out) if e["type"] == "phase"]
    assert [(e["from"], e["to"], e["by"]) for e in changes] == [("oracle", "builder", "shell")]


def test_offline_switch_runs_and_reports_payloads(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    run(studio, "phase")
    (studio / "phase_os.toml").write_text(
        f'[phases.remix]\non_enter = [["{sys.executable}", "-c", "raise SystemExit(2)"]]\n'
    )
    code, out = run(studio, "phase", "set", "remix")
    assert code == 0 and "exited with 2" in out


def test_config_check_names_file_line_and_key(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    run(studio, "phase")
    code, out = run(studio, "config", "check")
    assert code == 0 and "ok (4 phases" in out
    (studio / "phase_os.toml").write_text('[app]\nidle_gap_hours = "four"\n')
    code, out = run(studio, "config", "check")
    assert code == 1
    assert f"{studio / 'phase_os.toml'} line 2" in out and "app.idle_gap_hours" in out
    code, out = run(studio, "phase")  # every command refuses a broken config
    assert code == 1 and "idle_gap_hours" in out


def test_status_writes_a_snapshot_and_takes_a_format(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    run(studio, "phase", "set", "remix")
    code, out = run(studio, "status", "--format", "{phase}|{bounces_today}|{running}")
    assert (code, out) == (0, "remix|0|off\n")
    snapshot = read_snapshot(str(studio / ".phase_os" / "status.txt"))
    assert snapshot is not None and snapshot["phase"] == "remix"
    code, out = run(studio, "status", "--format", "{nope}")
    assert code == 1 and "unknown status field 'nope'" in out and "{phase}" in out


def test_stats_json_sessions_notify(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    code, out = run(studio, "stats", "--json")
    assert code == 0 and set(json.loads(out)["today"]) == {"oracle", "builder", "remix", "recovery"}
    code, first = run(studio, "session")
    code, made = run(studio, "session", "new")
    assert code == 0 and made.startswith("session: ")
    code, now = run(studio, "session")
    assert made.split()[-1] in now and first.split()[0] not in now
    code, out = run(studio, "notify", "mixdown", "done")
    assert code == 0 and "noted in the journal" in out
    code, out = run(studio, "log")
    assert "note: mixdown done" in out


def test_keys_lists_binding_ids(tmp_path: Path) -> None:
    code, out = run(tmp_path / "s", "keys")
    assert code == 0 and "next_phase" in out and "dashboard" in out
