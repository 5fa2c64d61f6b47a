"""Demo audio files: numpy audio encoded by libsndfile, written atomically.

The container is chosen by the file suffix; an MP3 this libsndfile cannot write becomes
an OGG of the same name.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

from phase_tui.atomic import atomic_write_bytes
from phase_tui.demo.step import DemoFile

# Container formats by file suffix; a subtype names the sample encoding inside.
_FORMATS = {".wav": "WAV", ".flac": "FLAC", ".aiff": "AIFF", ".ogg": "OGG", ".mp3": "MP3"}
# libvorbis needs stack in proportion to one write (a long write crashes it), so audio is
# written in blocks of this many frames.
_WRITE_BLOCK_FRAMES = 16384


def can_write(format_name: str) -> bool:
    """True when this libsndfile can write the container (MP3 needs libsndfile >= 1.1)."""
    return format_name in sf.available_formats()


def write_audio(path: Path, audio: np.ndarray, sample_rate_hz: int, subtype: str) -> str:
    """Write `audio` atomically, its format chosen by the suffix; return a description."""
    buffer = io.BytesIO()
    channels = audio.shape[1]
    with sf.SoundFile(
        buffer, "w", sample_rate_hz, channels, subtype, format=_FORMATS[path.suffix.lower()]
    ) as sound:
        for start in range(0, len(audio), _WRITE_BLOCK_FRAMES):
            sound.write(audio[start : start + _WRITE_BLOCK_FRAMES])
    atomic_write_bytes(path, buffer.getvalue())
    layout = {1: "mono", 2: "stereo"}.get(channels, f"{channels} ch")
    return f"{len(audio) / sample_rate_hz:.1f} s, {sample_rate_hz / 1000:g} kHz {layout} {subtype}"


def audio_file(
    relative_path: str,
    render: Callable[[int, int], np.ndarray],
    sample_rate_hz: int,
    subtype: str,
    seed: int,
) -> DemoFile:
    """A demo audio file; `render(seed, sample_rate_hz)` makes its audio when it is written.

    An MP3 this libsndfile cannot write becomes an OGG of the same name, said in its note.
    """
    note = ""
    if relative_path.endswith(".mp3") and not can_write("MP3"):
        relative_path, subtype = relative_path[: -len(".mp3")] + ".ogg", "VORBIS"
        note = "; OGG because this libsndfile cannot write MP3"

    def write(path: Path) -> str:
        return write_audio(path, render(seed, sample_rate_hz), sample_rate_hz, subtype) + note

    return DemoFile(relative_path, write)
