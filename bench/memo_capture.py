"""Memo capture: from the memo key (`MemoRecorder.start()`) to the first captured audio.

Measured in a child process (`bench.memo_capture_child`) recording a virtual microphone
(ALSA's `file` device fed in real time through a FIFO), so no sound card is needed.
"""

from __future__ import annotations

import shutil
import sys

from bench.common import BenchContext, Row, median, run_json_child

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
    "runs; a device that starts cold adds up to one period."
)


def run(ctx: BenchContext) -> list[Row]:
    folder = ctx.root / "memo_capture"
    folder.mkdir()
    try:
        argv = [sys.executable, "-m", "bench.memo_capture_child", str(folder), str(ctx.reps(10, 5))]
        latencies = run_json_child(ctx, argv, CHILD_TIMEOUT_S)["first_audio_ms"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    value = median(latencies)
    return [
        Row(
            "memo key to first captured audio",
            value,
            "ms",
            target=f"<= {TARGET_MS:.0f} ms",
            passed=value <= TARGET_MS,
        )
    ]
