"""The process the memo capture bench measures: `python -m bench.memo_capture_child DIR N`.

Makes a virtual microphone in DIR (an `.asoundrc` in DIR/home, taken as HOME, whose
default ALSA device is a `file` PCM reading the FIFO DIR/MIC.raw) and plays it: a thread
writes one 50 ms period of a tone to the FIFO every 50 ms while it has room.
(ALSA's `file` plugin has no clock: fed from a regular file it captures as fast as the
CPU allows, and a short read leaves stale data in the block.) Then imports sounddevice,
as the app does after its first paint, and N times: waits a random part of a period,
empties the FIFO (so the first block arrives when the next period is "captured", 0 to
50 ms later, like a running device), calls `MemoRecorder.start()`, waits for the first
block, stops. Prints one JSON line: each start's `first_audio_s` in ms.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

import numpy as np

RATE = 16000
PERIOD_S = 0.05
F_SETPIPE_SZ = 1031
ASOUNDRC = """\
pcm.!default {{ type plug; slave {{ pcm "virtual"; rate 16000; channels 1; format S16_LE }} }}
pcm.virtual {{ type file; slave.pcm "null"; file "{played}"; infile "{mic}"; format "raw" }}
"""


def virtual_microphone(folder: Path, home: Path) -> int:
    """Write the `.asoundrc` into `home`, make the FIFO; the FIFO's descriptor."""
    home.mkdir(exist_ok=True)
    mic = folder / "MIC.raw"
    os.mkfifo(mic)
    (home / ".asoundrc").write_text(ASOUNDRC.format(played=folder / "PLAYED.raw", mic=mic))
    fd = os.open(mic, os.O_RDWR | os.O_NONBLOCK)  # never blocks, never reaches end of file
    fcntl.fcntl(fd, F_SETPIPE_SZ, 4096)
    return fd


def feed(fd: int) -> None:
    """Every PERIOD_S, one period of a 440 Hz tone when the FIFO has room for it."""
    frames = round(RATE * PERIOD_S)
    t = np.arange(frames) / RATE
    period = (8000 * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes()
    due = time.monotonic()
    while True:
        with contextlib.suppress(BlockingIOError):  # full: nobody is reading
            os.write(fd, period)
        due += PERIOD_S
        time.sleep(max(0.0, due - time.monotonic()))


def empty(fd: int) -> None:
    """Discard the periods waiting in the FIFO."""
    with contextlib.suppress(BlockingIOError):
        while os.read(fd, 65536):
            pass


def measure(folder: Path, starts: int) -> list[float]:
    home = folder / "home"
    fd = virtual_microphone(folder, home)
    os.environ["HOME"] = str(home)  # ALSA reads $HOME/.asoundrc when PortAudio starts
    threading.Thread(target=feed, args=(fd,), daemon=True).start()
    import sounddevice  # noqa: F401 - imported before the key press, as the app does

    from phase_tui.voice.recorder import MemoRecorder

    phase = random.Random(5)
    latencies = []
    for index in range(starts):
        recorder = MemoRecorder()
        time.sleep(phase.uniform(0, PERIOD_S))  # the key press at any point of a period
        empty(fd)
        recorder.start(folder / f"memo-{index}.wav")
        deadline = time.monotonic() + 5
        while recorder.first_audio_s is None and time.monotonic() < deadline:
            time.sleep(0.001)
        recorder.stop()
        if recorder.first_audio_s is None:
            raise RuntimeError("no audio arrived within 5 s of start()")
        latencies.append(1000 * recorder.first_audio_s)
    return latencies


if __name__ == "__main__":
    print(json.dumps({"first_audio_ms": measure(Path(sys.argv[1]), int(sys.argv[2]))}))
