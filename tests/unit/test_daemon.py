"""The headless daemon in a subprocess: it answers on the control socket, logs a bounce,
writes the digests due at start, refuses to run twice, and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from phase_tui import control
from phase_tui.activity import EVENTS, log_event
from tests.daw_writers import write_wav
from tests.helpers import make_studio, wait_until

CONFIG = "[memo]\ncue = false\ntranscribe = false\n\n[watch]\nsettle_s = 0.3\n"
START_TIMEOUT_S = 30.0
WEEK_S = 7 * 86400.0


def daemon_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "phase_tui", "--studio", str(root), "daemon"]


def answers(internal: Path) -> bool:
    try:
        control.send(internal, "ping")
    except (ConnectionError, OSError):
        return False
    return True


class Running:
    """A studio with a daemon process serving it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.context = make_studio(root, CONFIG)
        first = log_event(self.context.store, "notify", session=None, phase=None, text="hi")
        self.context.store.update(EVENTS, first["id"], {"at": time.time() - 2 * WEEK_S})
        self.internal = self.context.studio.internal
        self.process = subprocess.Popen(
            daemon_command(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if not wait_until(lambda: answers(self.internal), START_TIMEOUT_S):
            self.process.kill()
            _, err = self.process.communicate()
            pytest.fail(f"the daemon did not answer: {err}")

    def events(self, kind: str) -> list[dict]:
        return [e for e in self.context.store.all(EVENTS) if e.get("type") == kind]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.context.close()
        return code


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    daemon = Running(tmp_path / "studio")
    yield daemon
    daemon.stop()


def test_it_answers_its_role_and_the_shell_commands(running: Running) -> None:
    internal = running.internal
    assert control.send(internal, "role") == "daemon"
    assert control.send(internal, "ping") == "pong"
    assert control.send(internal, "phase.set", name="builder") == "builder"
    assert control.send(internal, "phase.get") == "builder"
    assert control.send(internal, "notify", text="from the shell") == "journalled"
    assert any(e.get("text") == "from the shell" for e in running.events("notify"))
    report = control.send(internal, "status")
    assert report["role"] == "daemon"
    assert set(report["queues"]) == {"analysis", "transcription"}
    with pytest.raises(control.CommandError, match="the daemon does not record; open the app"):
        control.send(internal, "memo.start")


def test_it_logs_a_bounce_written_into_bounces(running: Running) -> None:
    write_wav(running.root / "bounces" / "night drive v1.wav", seconds=0.2)
    assert wait_until(lambda: bool(running.events("bounce")), 20.0)
    assert running.events("bounce")[0]["name"] == "night drive v1.wav"


def test_it_writes_the_digest_due_at_start(running: Running) -> None:
    assert wait_until(lambda: any((running.root / "digests").glob("*.md")), 20.0)


def test_a_second_daemon_refuses(running: Running) -> None:
    second = subprocess.run(
        daemon_command(running.root), capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 1
    assert "a Phase OS daemon already serves" in second.stderr
    assert control.send(running.internal, "role") == "daemon"  # the first one still serves


def test_sigterm_stops_it_and_removes_the_socket(running: Running) -> None:
    socket = control.socket_path(running.internal)
    assert socket.exists()
    assert running.stop() == 0
    assert not socket.exists()
    assert "daemon stopped" in running.context.studio.log_path.read_text()
