"""Smoke test of voice memos in the real `phase-os` command, in tmux, with a real
microphone: ALSA's `file` device reading spoken words (no sound card needed). The memo key
and `phase-os memo stop|start` (a hotkey's press and release) record them, faster-whisper
transcribes them, and the words act (a tag, a note, a phase change); then a memo is cut by
`kill -9` and the next start repairs and keeps it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.e2e.tmux import PHASE_OS, capture, start, tmux
from tests.virtual_mic import virtual_devices
from tests.voice_fakes import SPEECH

SESSION = f"phase-os-memo-{os.getpid()}"

pytestmark = pytest.mark.slow


def screen() -> str:
    return capture(SESSION)


def wait_until(condition, what: str, timeout_s: float = 15.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen; the screen was:\n{screen()}")


def memos(studio: Path) -> list[dict]:
    printed = subprocess.run(
        [PHASE_OS, "--studio", str(studio), "memo", "ls", "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(printed) if printed.strip().startswith("[") else []


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Path]:
    """A studio, and a HOME whose ALSA default device is a microphone saying the words."""
    assert shutil.which("tmux"), "tmux is needed (make test installs it)"
    root = tmp_path / "studio"
    subprocess.run([PHASE_OS, "init", str(root)], check=True, capture_output=True)
    speech, rate = sf.read(SPEECH, dtype="int16")
    assert rate == 16000
    pause = np.zeros(8 * rate, dtype=np.int16)
    spoken = np.concatenate([pause[: rate // 2], speech, pause, speech])
    with virtual_devices(tmp_path, spoken, home=Path(os.environ["HOME"])):
        command = f"{PHASE_OS} --studio {root}"
        start(SESSION, f"{command}; {command}; sleep 60")  # the second start: after kill -9
        yield root
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def shell(studio: Path, *args: str) -> str:
    return subprocess.run(
        [PHASE_OS, "--studio", str(studio), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def app_pid() -> int:
    shell = tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip()
    children = subprocess.run(
        ["pgrep", "-P", shell], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(children[0])


def test_a_spoken_memo_is_recorded_transcribed_and_acted_on_then_survives_kill_9(
    studio: Path,
) -> None:
    wait_until(lambda: "Dashboard" in screen(), "the first paint")
    tmux("send-keys", "-t", SESSION, "m")
    wait_until(lambda: "● REC" in screen(), "the meter in the HUD")
    time.sleep(7.5)  # the whole sentence
    assert shell(studio, "memo", "stop").endswith(": pending")  # a hotkey's key release
    done = wait_until(
        lambda: [m for m in memos(studio) if m.get("status") == "done"], "the transcript", 120
    )
    (memo,) = done
    assert "dark" in memo["tags"], memo["text"]
    assert "kick" in memo["text"].lower()
    wait_until(lambda: "BUILDER" in screen(), "the spoken phase change")
    pad = studio / "scratchpad"
    assert "kick" in "".join(p.read_text() for p in pad.glob("*.md")).lower()
    played, rate = sf.read(memo["path"])
    assert rate == 16000 and 6.5 < len(played) / rate < 12

    assert shell(studio, "memo", "start").endswith(": recording")  # cut short by a crash
    wait_until(lambda: "● REC" in screen(), "the meter again")
    time.sleep(3.0)
    os.kill(app_pid(), signal.SIGKILL)
    # the pane starts the app again: it repairs the memo and keeps it
    repaired = wait_until(
        lambda: [m for m in memos(studio) if m.get("recovered")], "the repair", 60
    )
    (cut,) = repaired
    assert cut["status"] in ("pending", "transcribing", "done")
    audio, rate = sf.read(cut["path"])
    assert len(audio) / rate >= 1.5  # at most the last second is lost
