"""`phase-os memo` with no app running: start/stop say who records, transcription runs
here (real faster-whisper tiny.en) and acts on the words, the list and one memo shown."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from phase_tui.cli import cli
from phase_tui.context import StudioContext
from phase_tui.voice.memos import MEMOS, new_memo
from tests.helpers import make_studio
from tests.voice_fakes import copy_speech


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def pending_memo(context: StudioContext, name: str = "2026-11-23_2342-05") -> dict:
    path = copy_speech(context.studio.folder("memos") / f"{name}.wav")
    memo = new_memo(
        context.store, path, session="amber-heron-7f3a", phase="oracle", at=1.0, focus=None
    )
    return context.store.update(MEMOS, memo["id"], {"status": "pending", "duration_s": 6.6})


def test_start_and_stop_need_the_running_app(tmp_path: Path) -> None:
    studio = make_studio(tmp_path / "studio").studio.root
    for action in ("start", "stop", "toggle"):
        code, out = run(studio, "memo", action)
        assert code == 1 and "no Phase OS app is running" in out and "press m" in out


def test_transcribe_pending_here_then_list_and_show(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio", "[memo]\ncue = false\n")
    studio = context.studio.root
    assert run(studio, "memo", "ls") == (0, "no memos yet\n")
    memo = pending_memo(context)
    code, out = run(studio, "memo", "transcribe", "--pending")
    assert code == 0, out
    assert "transcribing 1 memo(s)" in out and "tag dark" in out.lower()
    assert "→ phase builder" in out and "done in" in out
    assert (studio / "current_phase.txt").read_text().strip() == "builder"
    code, out = run(studio, "memo", "transcribe", "--pending")
    assert code == 0 and "no memo waits for a transcript" in out

    code, listed = run(studio, "memo", "ls")
    assert code == 0 and "done" in listed and "#dark" in listed
    code, as_json = run(studio, "memo", "ls", "--json")
    (record,) = json.loads(as_json)
    assert record["id"] == memo["id"] and record["status"] == "done"

    code, shown = run(studio, "memo", "show", memo["id"][-6:])
    assert code == 0 and shown.startswith("# Memo ") and "[0:00]" in shown
    assert "→ tagged" in shown
    code, again = run(studio, "memo", "transcribe", "2026-11-23_2342-05")
    assert code == 0 and "tag dark" in again.lower()


def test_a_missing_model_is_a_message_and_the_memo_stays_pending(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio", '[memo]\ncue = false\nmodel = "medium.en"\n')
    memo = pending_memo(context)
    code, out = run(context.studio.root, "memo", "transcribe", "--pending")
    assert code == 0 and "medium.en" in out and "kept as pending" in out
    assert context.store.get(MEMOS, memo["id"])["status"] == "pending"


def test_bad_arguments_are_clear(tmp_path: Path) -> None:
    studio = make_studio(tmp_path / "studio").studio.root
    code, out = run(studio, "memo", "transcribe")
    assert code == 2 and "give a memo (REF) or --pending" in out
    code, out = run(studio, "memo", "show", "nope")
    assert code == 1 and "no memo 'nope'" in out
