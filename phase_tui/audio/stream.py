"""Decode an audio file block by block into one reused float32 buffer, in bounded memory.

The one decode loop of the audio layer: `analyse_levels` consumes it today, and the
waveform peaks can consume the same pass later. The audio is what `probe` says is really
there: a WAV/AIFF whose header was never finalised (data size 0) is read as raw samples
from where its data starts, instead of libsndfile's zero frames. PCM and float WAV/AIFF
are decoded by `pcm` (numpy, several times faster), everything else by libsndfile.
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
from phase_tui.audio.pcm import PcmReader, pcm_reader
from phase_tui.audio.probe import AudioHeader, inspect_open_file, libsndfile_message
from phase_tui.audio.window import ByteWindow

DEFAULT_BLOCK_FRAMES = 65536


class SequentialSoundFile(sf.SoundFile):
    """A `SoundFile` read front to back only: it says it cannot seek.

    soundfile asks libsndfile for the position before every read and seeks back to it
    after. For MP3 that seek lands elsewhere (reading 10 s of a sine in 8,192-frame blocks
    gave -11.8 dB RMS instead of -9.0; in 1,024-frame blocks, -28 dB), and for FLAC it
    costs ~7 % of the decoding time. Not seekable, soundfile reads on where libsndfile is.
    """

    def seekable(self) -> bool:
        return False


class AudioStream:
    """An open audio file, read once through `blocks()`; close it, or use it in `with`.

    Raises `UnreadableAudio` when the file cannot be opened or decoded, and when it is
    deleted or changes size while being read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.frames_read = 0
        self._window: ByteWindow | None = None
        self._fd, self._opened = open_regular_file(path)
        try:
            inspection = inspect_open_file(path, self._fd, self._opened.st_size)
            self.header: AudioHeader = inspection.header
            header = self.header
            self._pcm: PcmReader | None = pcm_reader(
                self._fd,
                inspection.data_chunk,
                header.format,
                header.subtype,
                header.channels,
                header.frames,
            )
            self._sound = None if self._pcm else self._open_sound(inspection.data_chunk)
        except BaseException:
            os.close(self._fd)
            raise

    def blocks(self, block_frames: int = DEFAULT_BLOCK_FRAMES) -> Iterator[np.ndarray]:
        """Yield (frames, channels) float32 blocks: views of one buffer the next block reuses.

        Consume each block before asking for the next; copy it to keep it.
        """
        buffer = self.new_buffer(block_frames)
        while frames := self.read_into(buffer):
            yield buffer[:frames]

    def new_buffer(self, block_frames: int) -> np.ndarray:
        """An empty (block_frames, channels) float32 buffer for `read_into`."""
        return np.empty((block_frames, self.header.channels), dtype=np.float32)

    def read_into(self, buffer: np.ndarray) -> int:
        """Decode the next frames into `buffer` (float32, (frames, channels)); how many were
        read, 0 at the end. Raises `UnreadableAudio` when the file is damaged or changes."""
        try:
            if self._pcm is not None:
                got = self._pcm.read_into(buffer)
            else:
                got = len(self._sound.read(len(buffer), dtype="float32", out=buffer))
        except OSError as error:
            raise UnreadableAudio(self.path, reason_for_os_error(error)) from error
        except sf.LibsndfileError as error:
            at_s = self.frames_read / self.header.sample_rate_hz
            reason = f"audio damaged or cut short after {at_s:.1f} s ({libsndfile_message(error)})"
            raise UnreadableAudio(self.path, reason) from error
        self._check_still_readable()
        self.frames_read += got
        return got

    def close(self) -> None:
        """Release libsndfile's handle and the file descriptor."""
        if self._sound is not None:
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
            sound = SequentialSoundFile(self._fd, closefd=False)
            if chunk is None or sound.frames >= self.header.frames:
                return sound
            sound.close()  # libsndfile hides audio the header does not declare: read it raw
            self._window = ByteWindow(self._fd, chunk.offset_bytes, self._opened.st_size)
            return SequentialSoundFile(
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
