"""`phase-os scan` and `phase-os bounces`: the catch-up scan from the shell, and the list."""

from __future__ import annotations

import json
import os
import pty
import random
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from click.testing import CliRunner

from phase_tui.cli import cli
from phase_tui.control import CommandError, ControlServer
from phase_tui.session.studio import init_studio
from phase_tui.store import open_store
from tests.unit.test_audio_files import text_named_mp3, tone, write

ROOT = Path(__file__).resolve().parents[2]
T0 = 1_700_000_000.0  # the files' mtimes, seconds apart, so "newest first" is fixed


def run(studio: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--studio", str(studio), *args])
    return result.exit_code, result.output


def dated(path: Path, mtime: float) -> Path:
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    """A studio whose bounces folder holds two versions, a duplicate and a text-named mp3."""
    root = tmp_path / "s"
    init_studio(root)
    folder = root / "bounces"
    folder.mkdir(exist_ok=True)
    dated(write(folder / "memory-spike.wav", tone(2.0), subtype="PCM_24"), T0)
    (folder / "memory spike copy.wav").write_bytes((folder / "memory-spike.wav").read_bytes())
    dated(folder / "memory spike copy.wav", T0 + 10)
    dated(write(folder / "memory-spike-v2.wav", tone(1.0, channels=2), subtype="PCM_16"), T0 + 20)
    dated(text_named_mp3(folder / "lyrics.mp3"), T0 + 30)
    return root


def bounce_records(studio: Path) -> dict[str, dict[str, Any]]:
    store = open_store(studio / ".phase_os")
    try:
        return {r["name"]: r for r in store.all("bounces")}
    finally:
        store.close()


def bounce_events(studio: Path) -> list[dict[str, Any]]:
    store = open_store(studio / ".phase_os")
    try:
        return [e for e in store.all("events") if e["type"] == "bounce"]
    finally:
        store.close()


def test_scan_logs_good_unreadable_and_duplicate_files(studio: Path) -> None:
    code, out = run(studio, "scan")
    assert code == 0, out
    lines = out.splitlines()
    assert (
        lines[-1] == "4 files: 4 new, 0 changed, 0 missing, 0 unchanged; "
        "4 analysed (1 not whole audio)"
    )
    assert "unreadable: bounces/lyrics.mp3: not an MP3 stream (no MPEG audio frames found)" in lines
    assert any(line.endswith(": noted as a duplicate") for line in lines)

    records = bounce_records(studio)
    assert records["memory-spike-v2.wav"]["status"] == "ok"
    assert records["lyrics.mp3"]["status"] == "unreadable"
    twins = [records["memory-spike.wav"], records["memory spike copy.wav"]]
    duplicate = next(r for r in twins if r["status"] == "duplicate")
    original = next(r for r in twins if r["status"] == "ok")
    assert duplicate["duplicate_of"] == original["id"] and duplicate["hash"] == original["hash"]
    v2 = records["memory-spike-v2.wav"]
    assert (v2["sample_rate_hz"], v2["channels"], v2["duration_s"]) == (48000, 2, 1.0)
    assert v2["peak_dbfs"] == pytest.approx(-6.02, abs=0.01)  # a 0.5 sine
    assert v2["rms_dbfs"] == pytest.approx(-9.03, abs=0.01)
    assert v2["lufs"] is not None and all(r["analysed"] for r in records.values())

    events = bounce_events(studio)  # journalled like the app does: the two distinct bounces
    assert sorted(e["name"] for e in events) == sorted([original["name"], "memory-spike-v2.wav"])
    assert all(e["caught_up"] and e["phase"] == "oracle" and e["session"] for e in events)
    assert {e["at"] for e in events} == {original["mtime"], v2["mtime"]}


def test_a_second_scan_finds_all_unchanged_and_reads_no_audio(
    studio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(studio, "scan")[0] == 0
    reads: list[str] = []
    monkeypatch.setattr("phase_tui.audio.probe.probe", lambda p: reads.append(f"probe {p}"))
    monkeypatch.setattr(
        "phase_tui.audio.levels.analyse_levels", lambda p: reads.append(f"levels {p}")
    )
    monkeypatch.setattr(
        "phase_tui.loop.catalogue.content_hash", lambda p: reads.append(f"hash {p}")
    )
    code, out = run(studio, "scan")
    assert (code, out) == (
        0,
        "4 files: 0 new, 0 changed, 0 missing, 4 unchanged; 0 analysed (0 not whole audio)\n",
    )
    assert reads == []
    assert len(bounce_events(studio)) == 2  # nothing journalled twice


def test_a_deleted_file_is_missing_and_listed_with_missing(studio: Path) -> None:
    run(studio, "scan")
    (studio / "bounces" / "memory-spike-v2.wav").unlink()
    code, out = run(studio, "scan")
    assert out == (
        "3 files: 0 new, 0 changed, 1 missing, 3 unchanged; 0 analysed (0 not whole audio)\n"
    )
    assert bounce_records(studio)["memory-spike-v2.wav"]["status"] == "missing"
    code, out = run(studio, "bounces")
    assert "memory-spike-v2.wav" not in out and out.endswith("(1 missing not shown: --all)\n")
    code, out = run(studio, "bounces", "--missing", "--json")
    assert [r["name"] for r in json.loads(out)] == ["memory-spike-v2.wav"]
    code, out = run(studio, "bounces", "--all")
    assert "missing since " in next(line for line in out.splitlines() if "-v2.wav" in line)


def test_bounces_lists_tracks_newest_first_as_text_and_json(studio: Path) -> None:
    code, out = run(studio, "bounces")
    assert (code, out.strip()) == (0, "No bounces logged yet.")
    run(studio, "scan")
    code, out = run(studio, "bounces")
    lines = out.splitlines()
    assert lines[0].split() == [
        "name", "version", "length", "rate", "ch", "format", "peak", "rms", "lufs", "logged",
        "status",
    ]  # fmt: skip
    assert lines[1] == "lyrics  (1 version)"  # the track with the newest file first
    assert lines[2].split()[:2] == ["lyrics.mp3", "-"]
    assert lines[2].endswith("unreadable: not an MP3 stream (no MPEG audio frames found)")
    assert lines[3] == "memory spike  (3 versions)"
    assert [line.split("  ")[1].strip() for line in lines[4:]] == [
        "memory-spike-v2.wav",
        "memory spike copy.wav",
        "memory-spike.wav",
    ]
    v2 = lines[4].split()
    assert v2[:9] == [
        "memory-spike-v2.wav",
        "v2",
        "0:01",
        "48k",
        "2",
        "WAV",
        "16-bit",
        "-6.0",
        "-9.0",
    ]
    assert float(v2[9]) < 0 and v2[-1] == "ok"  # LUFS, status
    assert sum("duplicate of memory" in line for line in lines[5:]) == 1
    peak_end, logged_at = lines[0].index("peak") + len("peak"), lines[0].index("logged")
    for row in lines[2:3] + lines[4:]:  # numbers right-aligned under their heading, dates too
        assert row[peak_end - 1] in "0123456789-" and row[peak_end] == " "
        assert row[logged_at : logged_at + 4].isdigit()

    code, out = run(studio, "bounces", "--json")
    records = json.loads(out)
    assert [r["name"] for r in records] == [
        "lyrics.mp3",
        "memory-spike-v2.wav",
        "memory spike copy.wav",
        "memory-spike.wav",
    ]
    assert {"id", "hash", "path", "size", "peak_dbfs", "lufs", "session", "created_at"} <= set(
        records[1]
    )
    code, out = run(studio, "bounces", "--track", "Memory-Spike-v7", "--json")
    assert [r["track"] for r in json.loads(out)] == ["memory spike"] * 3
    code, out = run(studio, "bounces", "--track", "nothing")
    assert out == "No bounces of 'nothing' logged yet.\n"


def damaged_mp3(path: Path) -> Path:
    """A real MP3 with bytes overwritten through its frames: libmpg123 complains on fd 2."""
    write(path, tone(2.0).astype("float32"), format="MP3")
    raw = bytearray(path.read_bytes())
    rng = random.Random(3)
    for offset in range(400, len(raw), 37):
        raw[offset] = rng.randrange(256)
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.skipif("MP3" not in sf.available_formats(), reason="libsndfile without MP3")
def test_c_library_noise_goes_to_the_log_and_the_progress_bar_to_the_terminal(
    studio: Path,
) -> None:
    damaged_mp3(studio / "bounces" / "damaged.mp3")
    primary, terminal = pty.openpty()  # stderr is a terminal: the progress bars are drawn
    child = subprocess.Popen(
        [sys.executable, "-m", "phase_tui", "--studio", str(studio), "scan"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    os.close(terminal)
    shown = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    stdout = child.communicate(timeout=30)[0].decode()
    assert child.returncode == 0
    assert stdout.splitlines()[-1].startswith("5 files: 5 new,")
    log = (studio / ".phase_os" / "phase_os.log").read_text(errors="replace")
    assert "Illegal Audio-MPEG-Header" in log or "libmpg123" in log
    screen = shown.decode(errors="replace")
    assert "Registering" in screen and "Analysing" in screen and "100%" in screen
    assert "MPEG" not in screen and "mpg123" not in screen and "Note:" not in screen


def scan_beside_app(
    studio: Path, dispatch: Callable[[str, dict[str, Any]], Any]
) -> tuple[int, str]:
    """`phase-os scan` while a control server answering with `dispatch` runs."""
    server = ControlServer(studio / ".phase_os", dispatch)
    server.start()
    try:
        return run(studio, "scan")
    finally:
        server.stop()


def test_scan_goes_to_the_running_app_and_never_scans_beside_it(studio: Path) -> None:
    asked: list[str] = []

    def dispatch(cmd: str, args: dict[str, Any]) -> Any:
        asked.append(cmd)
        if cmd == "bounces.scan":
            return {"seen": 12, "new": 2, "changed": 1, "vanished": 0, "unchanged": 9}
        return "pong"

    code, out = scan_beside_app(studio, dispatch)
    assert (code, out) == (
        0,
        "12 files: 2 new, 1 changed, 0 missing, 9 unchanged; the app analyses them now\n",
    )
    assert asked[-1] == "bounces.scan"
    assert bounce_records(studio) == {}  # this process read nothing


def test_scan_reports_a_refusal_of_the_running_app(studio: Path) -> None:
    def dispatch(cmd: str, args: dict[str, Any]) -> Any:
        if cmd == "bounces.scan":
            raise CommandError("unknown command 'bounces.scan'")
        return "pong"

    code, out = scan_beside_app(studio, dispatch)
    assert code == 1 and "unknown command 'bounces.scan'" in out
    assert bounce_records(studio) == {}
