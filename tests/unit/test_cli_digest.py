"""`phase-os digest` end to end: catch up, a draft of this week, --force, bad dates, `ls`."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from phase_tui.activity import log_event
from phase_tui.cli import cli
from phase_tui.loop.digest_week import last_complete_week_end, week_ending
from tests.helpers import make_studio
from tests.unit.test_digest import seed_week


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), "digest", *args])
    return result.exit_code, result.output


def test_digest_commands_end_to_end(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    context = make_studio(studio)
    last = last_complete_week_end(time.time(), "sunday")
    seed_week(context.store, last)
    first_start, _ = week_ending(last - timedelta(days=14))
    log_event(context.store, "app_start", session="s", phase=None, at=first_start + 3600)
    context.close()

    code, output = run(studio)
    assert code == 0, output
    weeks = [last - timedelta(days=14), last - timedelta(days=7), last]
    assert output.splitlines() == [f"wrote digests/{week.isoformat()}.md" for week in weeks]
    text = (studio / "digests" / f"{last.isoformat()}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# Weekly Loop Digest — {last.isoformat()}\n\n### New Bounces\n")

    code, output = run(studio)
    assert (code, output) == (0, "every digest is written: no week is due\n")

    code, output = run(studio, "--week", (last - timedelta(days=3)).isoformat())
    assert (code, output) == (0, f"digests/{last.isoformat()}.md is complete already "
                                 "(--force rewrites it)\n")  # fmt: skip

    code, output = run(studio, "--week", last.isoformat(), "--force")
    assert (code, output) == (0, f"wrote digests/{last.isoformat()}.md\n")

    today = date.today()
    code, output = run(studio, "--week", today.isoformat())
    this_week = last + timedelta(days=7)
    assert code == 0, output
    assert output == f"wrote digests/{this_week.isoformat()}.md (draft: the week is not over)\n"

    code, output = run(studio, "ls")
    assert code == 0, output
    lines = output.splitlines()
    assert [line.split()[:2] for line in lines] == [
        *([week.isoformat(), "complete"] for week in weeks),
        [this_week.isoformat(), "draft"],
    ]
    assert all("not mailed" in line for line in lines)

    code, output = run(studio, "ls", "--json")
    records = json.loads(output)
    assert [r["complete"] for r in records] == [True, True, True, False]
    assert records[-1]["path"] == f"digests/{this_week.isoformat()}.md"
    assert set(records[0]) >= {"week", "path", "start", "end", "written_at", "complete", "mail"}


def test_a_bad_date_names_the_expected_form(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    make_studio(studio).close()
    code, output = run(studio, "--week", "1/6/2025")
    assert code == 2
    assert "'1/6/2025' is not a date: expected YYYY-MM-DD (e.g. 2025-06-01)" in output


def test_ls_of_a_studio_without_digests(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    make_studio(studio).close()
    assert run(studio, "ls") == (0, "no digests yet (`phase-os digest` writes them)\n")
    assert run(studio) == (0, "every digest is written: no week is due\n")
