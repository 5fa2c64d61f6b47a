"""`phase-os doctor`: a healthy studio passes; each fault of a broken one (a missing
export folder, damaged Store files, a stale socket, a model not on disk, a full disk) is
named by its check with a hint; what answers the socket and its queues are reported."""

from __future__ import annotations

import json
import shutil
import socket
from collections import namedtuple
from pathlib import Path

import pytest
from click.testing import CliRunner

from phase_tui import control
from phase_tui.cli import cli
from phase_tui.context import StudioContext
from phase_tui.doctor import Check, run_checks
from tests.helpers import make_studio

DiskUsage = namedtuple("DiskUsage", "total used free")
MB = 1_000_000


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def broken_studio(tmp_path: Path) -> StudioContext:
    """A missing export folder, a model not on disk, a damaged Store file put aside and
    another unreadable, a socket file that nothing answers."""
    config = (
        f'[watch]\nfolders = ["bounces", "{tmp_path / "gone"}"]\n\n'
        '[memo]\ncue = false\nmodel = "no-such-model"\n'
    )
    context = make_studio(tmp_path / "studio", config)
    internal = context.studio.internal
    (internal / "journal-test-machine.json.corrupt-20250101-120000").write_text("{broken")
    (internal / "journal-other-machine.json").write_text("{not json")
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(control.socket_path(internal)))
    stale.close()  # the file stays, nothing listens: a crashed app's socket
    return context


def test_a_healthy_studio_passes(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio", "[memo]\ncue = false\n")
    context.session()  # a Store file with records
    checks = run_checks(context)
    names = [check.name for check in checks]
    assert names[:2] == ["config", "watch bounces"]
    for check in checks:
        assert check.status == "ok" or (check.name == "audio" and check.status == "warn"), check
        assert check.status == "ok" or "memos and playback need a device" in check.hint
    found = by_name(checks)
    assert str(context.studio.config_path) in found["config"].detail
    assert "records" in found["store journal-test-machine.json"].detail
    assert found["control socket"].detail.startswith("no app or daemon runs")


def test_each_fault_of_a_broken_studio_is_named_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = broken_studio(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: DiskUsage(10**9, 10**9, 100 * MB))
    found = by_name(run_checks(context))
    expected = {
        f"watch {tmp_path / 'gone'}": ("fail", "does not exist", "[watch] folders"),
        "store aside": ("warn", "journal-test-machine.json.corrupt-20250101-120000", "delete"),
        "store journal-other-machine.json": ("fail", "unreadable", "repair it there"),
        "control socket": ("warn", "stale socket file", "delete it"),
        "whisper": ("fail", "'no-such-model' is not on disk", "CTranslate2"),
        "disk": ("fail", "100.0 MB free", "free some space"),
    }
    for name, (status, detail, hint) in expected.items():
        check = found[name]
        assert (check.status, detail in check.detail, hint in check.hint) == (status, True, True)
    assert found["watch bounces"].status == "ok"


def test_a_disk_under_a_gigabyte_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = make_studio(tmp_path / "studio")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: DiskUsage(10**9, 10**9, 500 * MB))
    assert by_name(run_checks(context))["disk"].status == "warn"


def test_what_answers_the_socket_and_its_queues(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    answers = {"role": "daemon", "status": {"queues": {"analysis": 2, "transcription": 1}}}

    def dispatch(cmd: str, args: dict) -> object:
        return answers[cmd]

    server = control.ControlServer(context.studio.internal, dispatch)
    server.start()
    try:
        found = by_name(run_checks(context))
    finally:
        server.stop()
    assert found["control socket"].detail.startswith("the daemon answers")
    assert found["queues"] == Check("queues", "ok", "daemon: analysis 2, transcription 1")


def test_the_command_marks_each_check_and_exits_1_on_a_failure(tmp_path: Path) -> None:
    broken_studio(tmp_path).close()
    studio = str(tmp_path / "studio")
    result = CliRunner().invoke(cli, ["--studio", studio, "doctor"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    whisper = next(i for i, line in enumerate(lines) if line.startswith("✗ whisper"))
    assert lines[whisper + 1].lstrip().startswith("the Whisper model 'no-such-model'")
    assert lines[whisper + 1].index("the") == lines[whisper].index("faster-whisper")
    assert any(line.startswith("! control socket") for line in lines)
    assert any(line.startswith("✓ config") for line in lines)
    as_json = CliRunner().invoke(cli, ["--studio", studio, "doctor", "--json"])
    assert as_json.exit_code == 1
    statuses = {check["name"]: check["status"] for check in json.loads(as_json.stdout)}
    assert statuses["whisper"] == "fail"
