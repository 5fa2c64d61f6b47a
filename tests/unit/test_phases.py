"""Switching phases: the phase file, events, payloads (argv, env, timeout), sessions."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from phase_tui.events import Event, PayloadFinished, PhaseChanged, PhaseFileRejected
from phase_tui.phase.payloads import PayloadRunner, payload_env, run_payload
from phase_tui.phase.phase_file import PhaseFileWatcher, read_phase_file, write_phase_file
from phase_tui.phase.switcher import PhaseSwitcher, UnknownPhase
from phase_tui.session.sessions import resume_or_start, start_session
from tests.helpers import make_studio

PRINT_ENV = (
    "import os; e = os.environ; print(e['PHASE_OS_PHASE'], e['PHASE_OS_PREVIOUS'], "
    "e['PHASE_OS_SESSION'])"
)
PAYLOAD_CONFIG = f"""
[phases.builder]
on_enter = [["{{py}}", "-c", "{PRINT_ENV}"]]
on_exit = [["{{py}}", "-c", "import time; time.sleep(30)"]]
payload_timeout_s = 0.5
""".replace("{py}", sys.executable)


def switcher_for(tmp_path: Path, config_text: str | None = None):
    context = make_studio(tmp_path / "studio", config_text)
    events: list[Event] = []
    results: list[PayloadFinished] = []
    runner = PayloadRunner(results.append)
    switcher = PhaseSwitcher(
        context.studio,
        context.config,
        context.store,
        session=lambda: "amber-heron-0001",
        emit=events.append,
        payloads=runner,
    )
    return context, switcher, events, results, runner


def test_first_start_writes_the_default_phase(tmp_path: Path) -> None:
    context, switcher, *_ = switcher_for(tmp_path)
    assert switcher.current == "oracle"
    assert read_phase_file(context.studio.phase_file) == "oracle"


def test_switch_writes_file_records_event_and_emits(tmp_path: Path) -> None:
    context, switcher, events, _, _ = switcher_for(tmp_path)
    change = switcher.switch("Builder", by="key")
    assert change == events[-1]
    assert isinstance(change, PhaseChanged) and (change.previous, change.phase) == (
        "oracle",
        "builder",
    )
    assert read_phase_file(context.studio.phase_file) == "builder"
    recorded = [e for e in context.store.all("events") if e["type"] == "phase"]
    assert recorded[-1]["from"] == "oracle" and recorded[-1]["to"] == "builder"
    assert recorded[-1]["by"] == "key" and recorded[-1]["session"] == "amber-heron-0001"
    assert switcher.switch("builder", by="key") is None  # already there: no event
    with pytest.raises(UnknownPhase, match="phases are: oracle, builder, remix, recovery"):
        switcher.switch("jazz", by="shell")


def test_phase_resumes_from_file_then_from_journal(tmp_path: Path) -> None:
    context, switcher, *_ = switcher_for(tmp_path)
    switcher.switch("remix", by="key")
    again = PhaseSwitcher(
        context.studio, context.config, context.store, lambda: "s", lambda e: None
    )
    assert again.current == "remix"
    context.studio.phase_file.unlink()
    third = PhaseSwitcher(
        context.studio, context.config, context.store, lambda: "s", lambda e: None
    )
    assert third.current == "remix" and read_phase_file(context.studio.phase_file) == "remix"


def test_unknown_phase_in_file_is_reported_and_ignored(tmp_path: Path) -> None:
    context, switcher, events, _, _ = switcher_for(tmp_path)
    context.studio.phase_file.write_text("jazz\n")
    assert switcher.apply_file_text("jazz") is None
    assert isinstance(events[-1], PhaseFileRejected) and events[-1].text == "jazz"
    assert switcher.current == "oracle"
    assert read_phase_file(context.studio.phase_file) == "oracle"
    change = switcher.apply_file_text("builder")
    assert change is not None and change.by == "file"


def test_payloads_get_env_and_hanging_ones_time_out(tmp_path: Path) -> None:
    context, switcher, _, results, runner = switcher_for(tmp_path, PAYLOAD_CONFIG)
    started = time.monotonic()
    switcher.switch("builder", by="key")
    assert time.monotonic() - started < 0.3  # payloads never block the caller
    switcher.switch("remix", by="key")  # builder's on_exit hangs
    runner.shutdown(wait=True)
    enter = next(r for r in results if r.hook == "on_enter" and r.phase == "builder")
    assert enter.ok and enter.output_tail.split() == ["builder", "oracle", "amber-heron-0001"]
    hung = next(r for r in results if r.hook == "on_exit")
    assert hung.timed_out and not hung.ok and "timed out" in hung.summary()
    assert hung.duration_s < 5


def test_missing_and_failing_payloads_are_reported(tmp_path: Path) -> None:
    env = payload_env("oracle", None, "s", str(tmp_path))
    missing = run_payload(
        ["/no/such/program"],
        phase="oracle",
        hook="on_enter",
        env=env,
        cwd=str(tmp_path),
        timeout_s=5,
    )
    assert missing.error and "failed to start" in missing.summary()
    failing = run_payload(
        [sys.executable, "-c", "raise SystemExit(3)"],
        phase="oracle",
        hook="on_enter",
        env=env,
        cwd=str(tmp_path),
        timeout_s=5,
    )
    assert failing.returncode == 3 and "exited with 3" in failing.summary()


def test_payload_arguments_are_never_interpreted_by_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    argv = [sys.executable, "-c", "import sys; print(sys.argv[1])", f"; touch {marker}"]
    result = run_payload(
        argv,
        phase="p",
        hook="on_enter",
        env=payload_env("p", None, "s", "x"),
        cwd=str(tmp_path),
        timeout_s=5,
    )
    assert result.ok and not marker.exists() and "touch" in result.output_tail


def test_phase_file_watcher_sees_outside_writes(tmp_path: Path) -> None:
    path = tmp_path / "current_phase.txt"
    write_phase_file(path, "oracle")
    seen: list[str | None] = []
    watcher = PhaseFileWatcher(path, seen.append)
    watcher.start()
    try:
        path.write_text("builder\n")  # like `echo builder > current_phase.txt`
        deadline = time.monotonic() + 3
        while "builder" not in seen and time.monotonic() < deadline:
            time.sleep(0.02)
        write_phase_file(path, "remix")  # like an editor's rename into place
        while "remix" not in seen and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        watcher.stop()
    assert seen == ["builder", "remix"]


def test_watcher_survives_a_failing_callback(tmp_path: Path) -> None:
    path = tmp_path / "current_phase.txt"
    write_phase_file(path, "oracle")
    seen: list[str | None] = []

    def flaky(text: str | None) -> None:
        seen.append(text)
        if len(seen) == 1:
            raise RuntimeError("boom")

    watcher = PhaseFileWatcher(path, flaky)
    watcher.start()
    try:
        for phase in ("builder", "remix"):
            path.write_text(phase + "\n")
            deadline = time.monotonic() + 3
            while phase not in seen and time.monotonic() < deadline:
                time.sleep(0.02)
    finally:
        watcher.stop()
    assert seen == ["builder", "remix"]


def test_sessions_resume_within_gap_and_start_after(tmp_path: Path) -> None:
    context = make_studio(tmp_path / "studio")
    store = context.store
    first, new = resume_or_start(store, idle_gap_s=3600, phase="oracle", now=1000.0)
    assert new and first["name"].count("-") == 2 and first["colour"].startswith("#")
    same, new = resume_or_start(store, idle_gap_s=3600, phase="oracle", now=2000.0)
    assert not new and same["id"] == first["id"]
    later, new = resume_or_start(store, idle_gap_s=3600, phase="oracle", now=1000.0 + 7200)
    assert new and later["id"] != first["id"]
    made = start_session(store, reason="shell", phase="remix", now=9000.0)
    assert store.latest("sessions", 1)[0]["id"] == made["id"]
    logged = [e for e in store.all("events") if e["type"] == "session"]
    assert [e["reason"] for e in logged][-1] == "shell"


def test_watcher_falls_back_to_polling_when_inotify_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import watchdog.observers

    class Refusing(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
        def schedule(self, *args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers, "Observer", Refusing)
    path = tmp_path / "current_phase.txt"
    write_phase_file(path, "oracle")
    seen: list[str] = []
    watcher = PhaseFileWatcher(path, seen.append)
    watcher.start()
    try:
        assert watcher.polling
        time.sleep(0.3)
        path.write_text("builder\n")
        deadline = time.monotonic() + 3
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watcher.stop()
    assert seen == ["builder"]


def test_watcher_is_quiet_when_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the file makes inotify open/close events: they must not trigger re-reads."""
    import phase_tui.phase.phase_file as phase_file

    reads: list[Path] = []
    original = phase_file.read_phase_file

    def counting(path: Path) -> str | None:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(phase_file, "read_phase_file", counting)
    path = tmp_path / "current_phase.txt"
    write_phase_file(path, "oracle")
    seen: list[str] = []
    watcher = PhaseFileWatcher(path, seen.append)
    watcher.start()
    try:
        path.write_text("builder\n")
        deadline = time.monotonic() + 3
        while not seen and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)
        settled = len(reads)
        time.sleep(1.0)
        assert len(reads) == settled  # no read feeds another read
        assert settled <= 6
    finally:
        watcher.stop()
    assert seen == ["builder"]
