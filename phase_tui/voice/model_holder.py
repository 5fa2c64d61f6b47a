"""Keep one Whisper model in memory while memos come, and let it go when they stop.

`ModelHolder.transcribe` loads the model on first use, or `load` ahead of it (one thread
loads, the others wait), and notes the time; the owner calls `unload_if_idle` now and
then, which unloads the model after `idle_unload_s` without use. On Linux, glibc is kept
from moving big blocks into its heap and asked to hand freed pages back (`malloc_trim`),
so that memory really goes back to the system after an unload.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import sys
import threading
import time

import numpy as np

from phase_tui.voice.backends import Backend
from phase_tui.voice.transcript import Transcript


class ModelHolder:
    """A backend loaded on demand and unloaded when idle (0 = never)."""

    def __init__(self, backend: Backend, idle_unload_s: float = 0.0) -> None:
        self.backend = backend
        self.idle_unload_s = idle_unload_s
        self._lock = threading.Lock()
        self._loaded = False
        self._last_use = time.monotonic()

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._loaded

    def load(self) -> None:
        """Load the model now if it is not in memory."""
        with self._lock:
            self._load()

    def transcribe(self, audio: np.ndarray, language: str | None) -> Transcript:
        """Transcribe with the model, loading it first if needed."""
        with self._lock:
            self._load()
            try:
                return self.backend.transcribe(audio, language)
            finally:
                self._last_use = time.monotonic()

    def unload_if_idle(self, now: float | None = None) -> bool:
        """Unload the model if unused for longer than `idle_unload_s` (a `time.monotonic`
        reading may be given as `now`); True when it was unloaded."""
        if self.idle_unload_s <= 0:
            return False
        now = time.monotonic() if now is None else now
        with self._lock:
            if not self._loaded or now - self._last_use <= self.idle_unload_s:
                return False
            self._unload()
            return True

    def unload(self) -> None:
        """Let the model go now (waits for a transcription in progress)."""
        with self._lock:
            if self._loaded:
                self._unload()

    def _load(self) -> None:
        if not self._loaded:
            fix_mmap_threshold()
            self.backend.load()
            self._loaded = True
        self._last_use = time.monotonic()

    def _unload(self) -> None:
        self.backend.unload()
        self._loaded = False
        gc.collect()
        release_free_heap()


M_MMAP_THRESHOLD = -3  # mallopt parameter
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's default, kept fixed


def fix_mmap_threshold() -> None:
    """Keep glibc serving blocks over 128 KiB with mmap, as it does at start.

    glibc raises that threshold (up to 32 MiB) each time such a block is freed; the
    model's weights then land in the heap, where freeing them leaves holes the process
    keeps (measured: 42 MiB more resident after unload, and 40 MiB more while loaded)."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def release_free_heap() -> None:
    """Give freed heap pages back to the system (glibc's `malloc_trim`)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc on Linux; None elsewhere (then both are no-ops)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)  # the symbols already in the process, libc's among them
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
