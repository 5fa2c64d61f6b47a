"""Playing one audio file at a time through the default output, with a clear error when none.

`Player.play(path)` starts the file in a PortAudio stream whose callback decodes the next
block of an `AudioStream` straight into the output buffer (memory stays bounded whatever
the length) and returns at once; `stop()` ends it; a new `play` replaces the file
playing. Everything that can be missing on a producer's machine (PortAudio itself, an
output device, a free device, a readable file) raises `PlaybackUnavailable` with a
sentence to show. sounddevice is imported on the first `play`, never before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from phase_tui.audio.errors import UnreadableAudio

if TYPE_CHECKING:
    from phase_tui.audio.stream import AudioStream

BLOCK_FRAMES = 2048


class PlaybackUnavailable(Exception):
    """Playback cannot start; `str()` says why, for the user."""


class Player:
    """One output stream at a time; `on_finished(path)` runs when a file plays to its end."""

    def __init__(self, on_finished: Callable[[Path], None] | None = None) -> None:
        self._on_finished = on_finished
        self._lock = threading.Lock()
        self._stream: Any = None
        self._sound: AudioStream | None = None
        self.playing: Path | None = None

    def play(self, path: Path) -> None:
        """Start playing `path` from its beginning, replacing what plays; raises on failure."""
        sd = _sounddevice()
        from phase_tui.audio.stream import AudioStream  # numpy, soundfile: on first play

        self.stop()
        try:
            sound = AudioStream(path)
        except UnreadableAudio as error:
            raise PlaybackUnavailable(f"Cannot play {path.name}: {error.reason}") from error
        try:
            _check_output_device(sd)
            stream = sd.OutputStream(
                samplerate=sound.header.sample_rate_hz,
                channels=sound.header.channels,
                dtype="float32",
                blocksize=BLOCK_FRAMES,
                callback=self._callback(sound, sd.CallbackStop),
                finished_callback=lambda: self._finished(stream, path),
            )
            with self._lock:
                self._stream, self._sound, self.playing = stream, sound, path
            stream.start()
        except sd.PortAudioError as error:
            self.stop()
            sound.close()
            raise PlaybackUnavailable(f"Cannot play through the audio output: {error}") from error

    def stop(self) -> None:
        """Stop what plays (nothing happens when nothing does)."""
        with self._lock:
            stream, sound = self._stream, self._sound
            self._stream = self._sound = self.playing = None
        if stream is not None:
            stream.abort()  # not stop(): no waiting for the buffers to drain
            stream.close()
        if sound is not None:
            sound.close()

    @staticmethod
    def _callback(sound: AudioStream, callback_stop: type[Exception]) -> Callable[..., None]:
        """The PortAudio callback: the next frames of the file, decoded straight into the
        output buffer; silence past its end. A file that turns unreadable mid-way (deleted,
        cut) ends the playback quietly.
        """

        def fill(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            try:
                got = sound.read_into(outdata)
            except UnreadableAudio:
                got = 0
            if got < frames:
                outdata[got:] = 0
                raise callback_stop

        return fill

    def _finished(self, stream: Any, path: Path) -> None:
        """The stream ended (by its end or by `stop`); report a file that played out."""
        with self._lock:
            played_out = self._stream is stream
            if played_out:
                self._stream, self.playing = None, None
                sound, self._sound = self._sound, None
        if played_out:
            if sound is not None:
                sound.close()
            if self._on_finished is not None:
                self._on_finished(path)


def _sounddevice() -> Any:
    """The sounddevice module; `PlaybackUnavailable` when PortAudio is not installed."""
    try:
        import sounddevice
    except OSError as error:  # raised at import when libportaudio is missing
        raise PlaybackUnavailable(
            "Playback needs PortAudio, which is not installed (e.g. apt install libportaudio2)"
        ) from error
    return sounddevice


def _check_output_device(sd: Any) -> None:
    """Raise `PlaybackUnavailable` when there is no output device to play through."""
    try:
        sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError) as error:
        raise PlaybackUnavailable("No audio output device: nothing to play through") from error
