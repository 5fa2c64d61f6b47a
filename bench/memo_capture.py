"""Memo capture: from the memo key to the first captured audio, in two ways.

1. The recorder alone: `MemoRecorder.start()` to the first block in PortAudio's callback,
   in a child process (`bench.memo_capture_child`).
2. The real app: `m` written to its terminal to the first audio in the memo's WAV on disk
   (the key's binding, the memo's record in the Store, the stream, the writer thread).
Both record a virtual microphone (ALSA's `file` device fed in real time through a FIFO),
so no sound card is needed.
"""

from __future__ import annotations

import random
import shutil
import sys
import threading
import time
from pathlib import Path

from bench.common import BenchContext, PtyApp, Row, child_env, median, run_json_child, run_quiet
from bench.memo_capture_child import PERIOD_S, empty, feed, virtual_microphone

NAME = "memo_capture"
TARGET_MS = 150.0
CHILD_TIMEOUT_S = 120.0
NOTE = (
    "A child process (`python -m bench.memo_capture_child`) makes a virtual microphone: an "
    "`.asoundrc` in a private HOME whose default ALSA device is a `file` PCM reading a FIFO "
    "that a thread fills with one 50 ms period of a tone every 50 ms (the plugin has no "
    "clock of its own). It imports sounddevice first, as the app does after its first "
    "paint; then, 10 times (5 with --quick), it waits a random part of a period (so the "
    "key press falls anywhere in the device's period), empties the FIFO, calls "
    "`MemoRecorder.start()` (find the input, check the rate, open the 16 kHz mono int16 "
    "stream, create the WAV, start the writer thread and the stream) and waits for the "
    "first block in the PortAudio callback (`first_audio_s`); the median is reported. The "
    "first block waits for the next 50 ms period, 0 to 50 ms, as with a device whose clock "
    "runs; a device that starts cold adds up to one period. In the app: Phase OS opens "
    "on a studio of its own (memo cue and transcription off) with that microphone; once "
    "it has painted and loaded sounddevice (2 s), 10 times (5): a random wait, the FIFO "
    "emptied, `m` written to its terminal, then its memos/ folder polled every 1 ms until "
    "a WAV holds audio beyond its 44-byte header; `m` again stops it. The median is "
    "reported."
)
WAV_HEADER_BYTES = 44


def run(ctx: BenchContext) -> list[Row]:
    folder = ctx.root / "memo_capture"
    folder.mkdir()
    try:
        argv = [sys.executable, "-m", "bench.memo_capture_child", str(folder), str(ctx.reps(10, 5))]
        latencies = run_json_child(ctx, argv, CHILD_TIMEOUT_S)["first_audio_ms"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    in_app = median(key_to_audio_on_disk(ctx))
    return [
        _row("memo start to first captured audio (recorder)", median(latencies)),
        _row("memo key in the app to first audio on disk", in_app),
    ]


def _row(name: str, value: float) -> Row:
    return Row(name, value, "ms", target=f"<= {TARGET_MS:.0f} ms", passed=value <= TARGET_MS)


def key_to_audio_on_disk(ctx: BenchContext) -> list[float]:
    """Milliseconds from `m` on the app's terminal to audio in the memo's file, each time."""
    folder = ctx.root / "memo_app"
    folder.mkdir()
    home = folder / "home"
    fd = virtual_microphone(folder, home)
    threading.Thread(target=feed, args=(fd,), daemon=True).start()
    env = child_env(home)
    studio = folder / "studio"
    run_quiet([*ctx.phase_os_cmd(), "init", str(studio)], env)
    config = studio / "phase_os.toml"
    text = config.read_text().replace("cue = true", "cue = false")
    config.write_text(text.replace("transcribe = true", "transcribe = false"))
    memos = studio / "memos"
    latencies = []
    phase = random.Random(9)
    try:
        with PtyApp([*ctx.phase_os_cmd(), "--studio", str(studio)], env) as app:
            app.wait_for(b"Dashboard")
            time.sleep(2.0)  # services started, sounddevice loaded
            for _ in range(ctx.reps(10, 5)):
                known = set(memos.iterdir())
                time.sleep(phase.uniform(0, PERIOD_S))
                empty(fd)
                pressed = time.perf_counter()
                app.send(b"m")
                latencies.append(1000 * (_first_audio(memos, known) - pressed))
                app.send(b"m")
                time.sleep(0.3)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return latencies


def _first_audio(memos: Path, known: set[Path], timeout_s: float = 5.0) -> float:
    """When (perf_counter) a new WAV in `memos` first held audio."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        for path in set(memos.iterdir()) - known:
            if path.suffix == ".wav" and path.stat().st_size > WAV_HEADER_BYTES:
                return time.perf_counter()
        time.sleep(0.001)
    raise TimeoutError(f"no memo audio within {timeout_s:.0f} s of the key")
