"""Read an audio file's header: format, rate, channels, the frames really present, problems.

Fast (a catch-up scan probes thousands of files: plain WAV and FLAC headers are read
directly, see `headers`; other files are opened with libsndfile) and total: every
failure, from a missing file to random bytes named .mp3, raises `UnreadableAudio` with a
reason; no libsndfile or OS error escapes. For WAV and AIFF the declared data size is
checked against the bytes in the file (see `chunks`), so a truncated or never-finalised
export reports its real length.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

from phase_tui.audio.chunks import DataChunk, find_data_chunk, read_head
from phase_tui.audio.errors import EMPTY, UnreadableAudio, reason_for_os_error
from phase_tui.audio.headers import HeaderFields, quick_fields
from phase_tui.audio.opening import open_regular_file

__all__ = ["AudioHeader", "UnreadableAudio", "probe"]

NO_AUDIO = "no audio data"
SAMPLE_BYTES = {
    "PCM_S8": 1, "PCM_U8": 1, "ULAW": 1, "ALAW": 1, "PCM_16": 2, "PCM_24": 3,
    "PCM_32": 4, "FLOAT": 4, "DOUBLE": 8,
}  # fmt: skip
UNRECOGNISED_FORMAT = 1  # libsndfile's SF_ERR_UNRECOGNISED_FORMAT
CHUNKED_FORMATS = ("WAV", "WAVEX", "RF64", "AIFF")  # whose data size `chunks` can check


@dataclass(frozen=True)
class AudioHeader:
    """What an audio file's header says, corrected by the bytes actually present."""

    format: str  # soundfile format, e.g. "WAV", "FLAC", "OGG", "MP3", "AIFF"
    subtype: str  # e.g. "PCM_16", "FLOAT", "VORBIS", "MPEG_LAYER_III"
    sample_rate_hz: int
    channels: int
    frames: int  # frames actually readable
    duration_s: float  # frames / sample_rate_hz
    problem: str | None  # None when the file is whole, else a short sentence


@dataclass(frozen=True)
class Inspection:
    """A probe's result plus where a WAV/AIFF's samples lie (for reading past a bad header)."""

    header: AudioHeader
    data_chunk: DataChunk | None


def probe(path: Path) -> AudioHeader:
    """The header of the audio file at `path`; raises `UnreadableAudio` for every failure."""
    fd, status = open_regular_file(path)
    try:
        return inspect_open_file(path, fd, status.st_size).header
    finally:
        os.close(fd)


def inspect_open_file(path: Path, fd: int, file_bytes: int) -> Inspection:
    """Probe the file open on `fd` (left open, position undefined). Raises `UnreadableAudio`."""
    if file_bytes == 0:
        raise UnreadableAudio(path, EMPTY)
    try:
        head = read_head(fd)
        chunk = find_data_chunk(fd, head)
        fields = quick_fields(head, chunk, file_bytes) or _libsndfile_fields(fd)
    except sf.LibsndfileError as error:
        raise UnreadableAudio(path, _reason_for_libsndfile(path, error)) from error
    except OSError as error:
        raise UnreadableAudio(path, reason_for_os_error(error)) from error
    if fields.format not in CHUNKED_FORMATS:
        chunk = None
    rate_hz, channels = fields.sample_rate_hz, fields.channels
    frames, problem = _check_data(
        chunk, file_bytes, fields.frames, rate_hz, channels, fields.subtype
    )
    if frames == 0:
        problem = problem or NO_AUDIO
    header = AudioHeader(
        fields.format, fields.subtype, rate_hz, channels, frames, frames / rate_hz, problem
    )
    return Inspection(header, chunk)


def _libsndfile_fields(fd: int) -> HeaderFields:
    """The header as libsndfile reads it (every format it knows)."""
    os.lseek(fd, 0, os.SEEK_SET)  # libsndfile reads from the descriptor's position
    with sf.SoundFile(fd, closefd=False) as sound:
        return HeaderFields(
            sound.format, sound.subtype, sound.samplerate, sound.channels, sound.frames
        )


def _check_data(
    chunk: DataChunk | None, file_bytes: int, frames: int, rate_hz: int, channels: int, subtype: str
) -> tuple[int, str | None]:
    """(frames really present, problem) from the declared data size and the file size."""
    sample_bytes = SAMPLE_BYTES.get(subtype)
    if chunk is None or sample_bytes is None:
        return frames, None
    frame_bytes = sample_bytes * channels
    present_frames = max(0, file_bytes - chunk.offset_bytes) // frame_bytes
    if not chunk.declared_bytes:
        if present_frames == 0:
            return 0, None
        size = "0" if chunk.declared_bytes == 0 else "a placeholder"
        follows_s = present_frames / rate_hz
        return present_frames, (
            f"header never finalised: data size is {size} but {_seconds(follows_s)} "
            "of audio follows"
        )
    declared_frames = chunk.declared_bytes // frame_bytes
    if declared_frames > present_frames:
        promised_s, held_s = declared_frames / rate_hz, present_frames / rate_hz
        return present_frames, (
            f"truncated: the header promises {_seconds(promised_s)}, "
            f"the file holds {_seconds(held_s)}"
        )
    return frames, None


def _seconds(duration_s: float) -> str:
    if 0 < duration_s < 0.1:
        return f"{duration_s * 1000:.0f} ms"
    return f"{duration_s:.1f} s"


def _reason_for_libsndfile(path: Path, error: sf.LibsndfileError) -> str:
    if error.code == UNRECOGNISED_FORMAT:
        if path.suffix.lower() == ".mp3":
            return "not an MP3 stream (no MPEG audio frames found)"
        return "not an audio file (format not recognised)"
    return f"cannot read as audio ({libsndfile_message(error)})"


def libsndfile_message(error: sf.LibsndfileError) -> str:
    """libsndfile's sentence, trimmed: "Error : flac decoder lost sync." -> "flac decoder..."."""
    return error.error_string.removeprefix("Error : ").rstrip(".").lower()
