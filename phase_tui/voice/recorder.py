"""Recording a voice memo from the microphone into a WAV that grows on disk.

The PortAudio callback only copies each int16 block into a queue and notes its peak (for
the live meter); a writer thread drains the queue into a `GrowingWav`, so a crash keeps
everything but the last moments, and watches for silence long enough to end the memo.
sounddevice is imported by `start`, never before.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from phase_tui.voice.growing_wav import GrowingWav
from phase_tui.voice.microphone import MicUnavailable, find_input, sounddevice_module

BLOCK_S = 0.05
"""Frames per PortAudio callback, in seconds: the first audio arrives about this late."""
LEVEL_WINDOW_S = 0.1
FULL_SCALE = 32768.0


@dataclass(frozen=True)
class RecordedMemo:
    """A finished recording."""

    path: Path
    frames: int
    sample_rate: int
    channels: int

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def block_frames(sample_rate: int) -> int:
    """Frames per callback block at `sample_rate`."""
    return max(1, round(sample_rate * BLOCK_S))


def peak_db(peak: int) -> float:
    """A peak sample magnitude in dBFS (-inf for silence)."""
    return 20 * math.log10(peak / FULL_SCALE) if peak > 0 else float("-inf")


class MemoRecorder:
    """One recording at a time from one input device.

    `on_silence` runs once on the writer thread when the level stayed under `silence_db`
    for `silence_stop_s`; it must hand `stop()` to another thread (stop joins the writer)."""

    def __init__(
        self,
        *,
        device: str | None = None,
        sample_rate: int = 16000,
        channels: int = 1,
        silence_stop_s: float = 0.0,
        silence_db: float = -45.0,
        on_silence: Callable[[], None] | None = None,
    ) -> None:
        self._device = device
        self._wanted_rate = sample_rate
        self._channels = channels
        self._silence_stop_s = silence_stop_s
        self._silence_db = silence_db
        self._on_silence = on_silence
        self._lock = threading.Lock()
        self._stream: Any = None
        self._wav: GrowingWav | None = None
        self._writer: threading.Thread | None = None
        self._queue: queue.SimpleQueue[tuple[np.ndarray, int] | None] = queue.SimpleQueue()
        self._rate = sample_rate
        self._captured = 0
        self._recent_peaks: tuple[int, ...] = ()
        self._started_at = 0.0
        self._first_block_at: float | None = None

    @property
    def recording(self) -> bool:
        return self._stream is not None

    @property
    def elapsed_s(self) -> float:
        """Seconds captured so far."""
        return self._captured / self._rate

    @property
    def level_db(self) -> float:
        """Peak level of about the last 100 ms in dBFS (-inf for silence or none yet)."""
        return peak_db(max(self._recent_peaks, default=0))

    @property
    def first_audio_s(self) -> float | None:
        """Seconds from the `start` call to the first captured block (None before it)."""
        first = self._first_block_at
        return None if first is None else first - self._started_at

    def start(self, path: Path) -> None:
        """Open the input and record into `path`; returns once the stream runs.

        Raises `MicUnavailable` (and leaves no file) when the microphone cannot be used."""
        with self._lock:
            if self._stream is not None:
                raise RuntimeError("already recording")
            self._started_at = time.perf_counter()
            self._first_block_at = None
            self._captured = 0
            self._recent_peaks = ()
            sd = sounddevice_module()
            index, default_rate = find_input(self._device)
            try:
                self._rate = self._usable_rate(sd, index, default_rate)
                stream = sd.InputStream(
                    device=index,
                    samplerate=self._rate,
                    channels=self._channels,
                    dtype="int16",
                    blocksize=block_frames(self._rate),
                    callback=self._callback,
                )
            except (sd.PortAudioError, ValueError) as error:
                raise MicUnavailable(f"Cannot open the microphone: {error}") from error
            self._queue = queue.SimpleQueue()
            try:
                wav = GrowingWav(path, self._rate, self._channels)
            except OSError:
                stream.close()
                raise
            writer = threading.Thread(target=self._drain, args=(wav,), name="memo-writer")
            writer.start()
            try:
                stream.start()
            except sd.PortAudioError as error:
                stream.close()
                self._finish_writing(writer, wav)
                path.unlink(missing_ok=True)
                raise MicUnavailable(f"Cannot start the microphone: {error}") from error
            self._stream, self._wav, self._writer = stream, wav, writer

    def stop(self) -> RecordedMemo:
        """Stop recording, write every captured block and close the file."""
        with self._lock:
            stream, wav, writer = self._stream, self._wav, self._writer
            if stream is None or wav is None or writer is None:
                raise RuntimeError("not recording")
            stream.stop()  # no callback runs after this returns
            stream.close()
            self._finish_writing(writer, wav)
            self._stream = self._wav = self._writer = None
            return RecordedMemo(wav.path, wav.frames, self._rate, self._channels)

    def _usable_rate(self, sd: Any, index: int, default_rate: float) -> int:
        """The wanted sample rate, or the device's own when it refuses that one."""
        try:
            sd.check_input_settings(
                device=index, channels=self._channels, dtype="int16", samplerate=self._wanted_rate
            )
        except (sd.PortAudioError, ValueError):
            return round(default_rate)
        return self._wanted_rate

    def _callback(self, indata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        """PortAudio's thread: copy the block, note its peak; nothing that may block."""
        if self._first_block_at is None:
            self._first_block_at = time.perf_counter()
        peak = max(int(indata.max()), -int(indata.min())) if frames else 0
        self._queue.put((indata.copy(), peak))
        self._captured += frames
        keep = math.ceil(LEVEL_WINDOW_S * self._rate / max(frames, 1))
        self._recent_peaks = (*self._recent_peaks, peak)[-keep:]

    def _drain(self, wav: GrowingWav) -> None:
        """The writer thread: blocks into the file until the end marker; silence watch."""
        quiet_frames = 0
        silence_reported = False
        while (item := self._queue.get()) is not None:
            block, peak = item
            wav.write(block)
            if self._silence_stop_s <= 0 or silence_reported:
                continue
            quiet_frames = quiet_frames + len(block) if peak_db(peak) < self._silence_db else 0
            if quiet_frames >= self._silence_stop_s * self._rate:
                silence_reported = True
                if self._on_silence is not None:
                    self._on_silence()

    def _finish_writing(self, writer: threading.Thread, wav: GrowingWav) -> None:
        self._queue.put(None)
        writer.join()
        wav.close()
