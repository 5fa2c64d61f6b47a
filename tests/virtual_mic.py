"""A virtual microphone for tests: ALSA's `file` device reading a FIFO that a thread feeds
in real time (see the docstring of `tests/unit/test_voice_capture.py` for why a FIFO)."""

from __future__ import annotations

import fcntl
import os
import struct
import termios
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

RATE = 16000
PERIOD_FRAMES = 800  # the recorder's block (BLOCK_S) at 16 kHz: one read of the plugin
F_SETPIPE_SZ = 1031

VIRTUAL_DEVICES = """\
pcm.!default {{ type plug; slave {{ pcm "virtual"; rate 16000; channels 1; format S16_LE }} }}
pcm.virtual {{ type file; slave.pcm "null"; file "{played}"; infile "{mic}"; format "raw" }}
"""


def feed(fd: int, signal_: np.ndarray, stop: threading.Event) -> None:
    """Play the virtual microphone: one period of the signal (then silence) every 50 ms,
    written only when the pipe is empty."""
    padded = np.concatenate([signal_, np.zeros(PERIOD_FRAMES, np.int16)])
    position, due = 0, time.monotonic()
    while not stop.is_set():
        waiting = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
        if waiting == 0:
            chunk = padded[position : position + PERIOD_FRAMES]
            if len(chunk) < PERIOD_FRAMES:
                chunk = np.zeros(PERIOD_FRAMES, np.int16)
            os.write(fd, chunk.astype("<i2").tobytes())
            position += PERIOD_FRAMES
        due += PERIOD_FRAMES / RATE
        stop.wait(max(0.0, due - time.monotonic()))


@contextmanager
def virtual_devices(
    tmp_path: Path, signal_: np.ndarray, home: Path | None = None
) -> Iterator[tuple[Path, Path]]:
    """A HOME (`home`, else a new one in `tmp_path`) whose default ALSA device records
    `signal_` in real time, then silence; yields (home, PLAYED.raw)."""
    if home is None:
        home = tmp_path / "home"
        home.mkdir()
    mic, played = tmp_path / "MIC.raw", tmp_path / "PLAYED.raw"
    os.mkfifo(mic)
    (home / ".asoundrc").write_text(VIRTUAL_DEVICES.format(played=played, mic=mic))
    fd = os.open(mic, os.O_RDWR)
    fcntl.fcntl(fd, F_SETPIPE_SZ, 4096)
    stop = threading.Event()
    feeder = threading.Thread(target=feed, args=(fd, signal_, stop), daemon=True)
    feeder.start()
    try:
        yield home, played
    finally:
        stop.set()
        feeder.join()
        os.close(fd)
