"""Decode an audio file block by block into one reused float32 buffer, in bounded memory.

The one decode loop of the audio layer: `analyse_levels` consumes it today, and the
waveform peaks can consume the same pass later. The audio is what `probe` says is really
there: a WAV/AIFF whose header was never finalised (data size 0) is read as raw samples
from where its data starts, instead of libsndfile's zero frames.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import numpy as np
import soundfile as sf

from phase_tui.audio.chunks import DataChunk
from phase_tui.audio.errors import UnreadableAudio, reason_for_os_error
from phase_tui.audio.opening import check_unchanged, open_regular_file
from phase_tui.audio.probe import AudioHeader, inspect_open_file, libsndfile_message
from phase_tui.audio.window import ByteWindow

DEFAULT_BLOCK_FRAMES = 65536


class AudioStream:
    """An open audio file, read once through `blocks()`; close it, or use it in `with`.

    Raises `UnreadableAudio` when the file cannot be opened or decoded, and when it is
    deleted or changes size while being read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._window: ByteWindow | None = None
        self._fd, self._opened = open_regular_file(path)
        try:
            inspection = inspect_open_file(path, self._fd, self._opened.st_size)
            self.header: AudioHeader = inspection.header
            self._sound = self._open_sound(inspection.data_chunk)
        except BaseException:
            os.close(self._fd)
            raise

    def blocks(self, block_frames: int = DEFAULT_BLOCK_FRAMES) -> Iterator[np.ndarray]:
        """Yield (frames, channels) float32 blocks: views of one buffer the next block reuses.

        Consume each block before asking for the next; copy it to keep it.
        """
        buffer = np.empty((block_frames, self.header.channels), dtype=np.float32)
        frames_read = 0
        while True:
            try:
                block = self._sound.read(block_frames, dtype="float32", out=buffer)
            except sf.LibsndfileError as error:
                at_s = frames_read / self.header.sample_rate_hz
                reason = (
                    f"audio damaged or cut short after {at_s:.1f} s ({libsndfile_message(error)})"
                )
                raise UnreadableAudio(self.path, reason) from error
            self._check_still_readable()
            if len(block) == 0:
                return
            frames_read += len(block)
            yield block

    def close(self) -> None:
        """Release libsndfile's handle and the file descriptor."""
        self._sound.close()
        os.close(self._fd)

    def __enter__(self) -> AudioStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _open_sound(self, chunk: DataChunk | None) -> sf.SoundFile:
        try:
            os.lseek(self._fd, 0, os.SEEK_SET)  # probing moved it; libsndfile starts there
            sound = sf.SoundFile(self._fd, closefd=False)
            if chunk is None or sound.frames >= self.header.frames:
                return sound
            sound.close()  # libsndfile hides audio the header does not declare: read it raw
            self._window = ByteWindow(self._fd, chunk.offset_bytes, self._opened.st_size)
            return sf.SoundFile(
                self._window,
                format="RAW",
                subtype=self.header.subtype,
                channels=self.header.channels,
                samplerate=self.header.sample_rate_hz,
                endian="LITTLE" if chunk.little_endian else "BIG",
            )
        except OSError as error:
            raise UnreadableAudio(self.path, reason_for_os_error(error)) from error
        except sf.LibsndfileError as error:
            raise UnreadableAudio(
                self.path, f"cannot decode ({libsndfile_message(error)})"
            ) from error

    def _check_still_readable(self) -> None:
        if self._window is not None and self._window.error is not None:
            reason = reason_for_os_error(self._window.error)
            raise UnreadableAudio(self.path, reason) from self._window.error
        check_unchanged(self.path, self._fd, self._opened)
