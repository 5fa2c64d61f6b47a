"""Smoke test of the real `phase-os` command in tmux: keys, `echo` and the shell; a bounce
exported while it runs, drawn up close and saved as art."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.e2e.tmux import PHASE_OS, capture, start, tmux

SESSION = f"phase-os-smoke-{os.getpid()}"


def screen() -> str:
    return capture(SESSION)


def wait_for_screen(text: str, timeout_s: float = 10.0) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        shown = screen()
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen()}")


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Path]:
    assert shutil.which("tmux"), "tmux is needed (make test installs it)"
    root = tmp_path / "studio"
    subprocess.run([PHASE_OS, "init", str(root)], check=True, capture_output=True)
    start(SESSION, f"{PHASE_OS} --studio {root}; sleep 60")
    yield root
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def test_real_command_switches_by_key_echo_and_shell(studio: Path) -> None:
    wait_for_screen("ORACLE")
    wait_for_screen("Dashboard")  # the footer: the app is up and painted
    tmux("send-keys", "-t", SESSION, "2")
    wait_for_screen("BUILDER")
    (studio / "current_phase.txt").write_text("remix\n")  # what `echo remix >` does
    wait_for_screen("REMIX")
    printed = subprocess.run(
        [PHASE_OS, "--studio", str(studio), "phase"], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert printed == "remix"
    subprocess.run(
        [PHASE_OS, "--studio", str(studio), "phase", "set", "recovery"],
        check=True,
        capture_output=True,
    )
    wait_for_screen("RECOVERY")
    status = subprocess.run(
        [PHASE_OS, "--studio", str(studio), "status"], check=True, capture_output=True, text=True
    ).stdout
    assert status.startswith("recovery · ") and status.count("\n") == 1
    tmux("send-keys", "-t", SESSION, "C-q")
    deadline = time.monotonic() + 10
    while '"app_stop"' not in (log := journal(studio)):
        assert time.monotonic() < deadline, "the app did not quit on ctrl+q"
        time.sleep(0.1)
    for expected in ('"by": "key"', '"by": "file"', '"by": "shell"', '"machine": "test-machine"'):
        assert expected in log
    assert "RECOVERY" not in screen()


def journal(studio: Path) -> str:
    return subprocess.run(
        [PHASE_OS, "--studio", str(studio), "log", "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_real_command_logs_a_bounce_and_draws_it(studio: Path) -> None:
    wait_for_screen("Dashboard")
    rate = 22050
    t = np.arange(30 * rate) / rate
    level = np.where(t < 10, 0.03, np.where(t < 20, 0.8, 0.03))
    partial = studio / "bounces" / "smoke test v1.wav.part"  # exported, then renamed in
    sf.write(partial, level * np.sin(2 * np.pi * 110 * t), rate, format="WAV")
    partial.rename(studio / "bounces" / "smoke test v1.wav")
    tmux("send-keys", "-t", SESSION, "b")
    wait_for_screen("smoke test v1.wav")
    tmux("send-keys", "-t", SESSION, "Down", "Enter")
    shown = wait_for_screen("╵0:10")  # the waveform's ruler
    assert "⣿" in shown and "intro" in shown and "drop" in shown
    tmux("send-keys", "-t", SESSION, "a")
    wait_for_screen("Art saved")
    (art,) = (studio / "art").glob("*.png")
    assert art.name.startswith("smoke-test-v1-")
    tmux("send-keys", "-t", SESSION, "C-q")
