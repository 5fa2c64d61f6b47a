"""The slicer: region edges snapped to zero crossings or a beat grid, and slices saved.

A slice is cut sample-exact from its source (only the region is read, by seeking), faded
in and out over a few milliseconds so it never clicks, and written in the source's own
format, subtype, sample rate and channel count. MP3 and OGG sources are written as FLAC
(24-bit): libsndfile may not write them, and a lossy re-encode would lose quality anyway.
Files are written atomically: a temporary name in the target folder, then `os.replace`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np
import soundfile as sf

from phase_tui.atomic import fsync_folder
from phase_tui.audio.errors import EMPTY, UnreadableAudio, reason_for_os_error
from phase_tui.audio.opening import open_regular_file
from phase_tui.audio.probe import libsndfile_message

SNAPS = ("zero", "beat", "off")
ZERO_RADIUS_S = 0.005  # how far a "zero" snap looks for a crossing, each side
LOSSY_FORMATS = frozenset({"MP3", "OGG"})  # written as FLAC
FALLBACK = ("FLAC", "PCM_24", ".flac")
UNSAFE_CHARS = frozenset('/\\:*?"<>|')
MAX_STEM_BYTES = 150  # leaves room for " 0.00-0.00 12.flac" under any file system's limit


def snap_to_zero_crossing(audio: np.ndarray, frame: int, radius: int) -> int:
    """The frame nearest `frame`, within `radius`, where the signal (the mono mix of a
    frames x channels array, or a mono array) crosses zero: it is exactly 0 there, or its
    sign differs from the frame before. The earlier one on a tie; `frame` itself if none."""
    mono = np.asarray(audio, dtype=np.float64)
    if mono.ndim == 2:
        mono = mono.mean(axis=1)
    lo, hi = max(0, frame - radius), min(len(mono) - 1, frame + radius)
    if hi < lo:
        return frame
    window = mono[lo : hi + 1]
    before = mono[lo - 1 : hi] if lo > 0 else np.concatenate(([0.0], mono[:hi]))
    crossing = (window == 0) | (before * window < 0)
    found = np.flatnonzero(crossing) + lo
    if found.size == 0:
        return frame
    return int(found[np.argmin(np.abs(found - frame))])


def beat_frames(bpm: float, sample_rate_hz: int) -> float:
    """How many frames one beat lasts at `bpm`."""
    if bpm <= 0 or sample_rate_hz <= 0:
        raise ValueError(f"the tempo and sample rate must be positive (got {bpm} bpm)")
    return 60.0 * sample_rate_hz / bpm


def snap_to_beat(frame: int, bpm: float, sample_rate_hz: int, offset_frames: int = 0) -> int:
    """The frame of the beat nearest `frame` on the grid of `bpm` starting at `offset_frames`."""
    step = beat_frames(bpm, sample_rate_hz)
    return int(round(offset_frames + round((frame - offset_frames) / step) * step))


def snap_region(
    path: Path, start_s: float, end_s: float, snap: str, bpm: float | None
) -> tuple[int, int]:
    """(start, end) frames of the region `start_s`..`end_s` of the file, edges snapped to
    zero crossings ("zero", within 5 ms), the beat grid ("beat", needs `bpm`) or not
    ("off"), then clamped to the file. ValueError for an unknown snap, a beat snap without
    a tempo, or an empty region; UnreadableAudio when the file cannot be read."""
    if snap not in SNAPS:
        raise ValueError(f"unknown snap {snap!r}: use one of {', '.join(SNAPS)}")
    if snap == "beat" and not bpm:
        raise ValueError("a beat snap needs the tempo (bpm)")
    if start_s >= end_s:
        raise ValueError(f"the start ({start_s:g} s) must be before the end ({end_s:g} s)")
    with open_sound(path) as sound:
        rate, total = sound.samplerate, sound.frames
        edges = [min(max(round(t * rate), 0), total) for t in (start_s, end_s)]
        if snap == "zero":
            radius = max(1, round(rate * ZERO_RADIUS_S))
            edges = [_snap_in_file(sound, path, edge, radius) for edge in edges]
        elif snap == "beat" and bpm:
            edges = [min(max(snap_to_beat(edge, bpm, rate), 0), total) for edge in edges]
    start, end = edges
    if start >= end:
        raise ValueError(
            f"the region {start_s:g}-{end_s:g} s is empty once snapped ({snap}) "
            f"and clamped to the file ({total / rate:.3f} s)"
        )
    return start, end


def save_slice(
    source: Path, start_frame: int, end_frame: int, target_dir: Path, fade_ms: float = 5.0
) -> Path:
    """Write frames `start_frame`..`end_frame` (end excluded) of `source`, faded in and out
    over `fade_ms` (less than half the slice), as `<stem> <m.ss>-<m.ss>.<ext>` in
    `target_dir` (made unique with " 2", " 3", ...); the new file's path. UnreadableAudio
    when the source cannot be read; ValueError for a region outside it."""
    with open_sound(source) as sound:
        if not 0 <= start_frame < end_frame <= sound.frames:
            raise ValueError(
                f"frames {start_frame}-{end_frame} are not a region of {source.name} "
                f"(0-{sound.frames})"
            )
        fmt, subtype, ext = _target_format(source, sound.format, sound.subtype)
        rate = sound.samplerate
        data = _read_region(sound, source, start_frame, end_frame)
    faded = _faded(data, round(fade_ms * rate / 1000))
    stem = f"{safe_stem(source.stem)} {_clock(start_frame / rate)}-{_clock(end_frame / rate)}"
    target_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".slice-", suffix=".tmp", dir=target_dir)
    os.close(fd)
    try:
        sf.write(tmp_name, faded, rate, subtype=subtype, format=fmt)
        _fsync(tmp_name)
        target = unique_path(target_dir, stem, ext)
        os.replace(tmp_name, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_folder(target_dir)
    return target


def safe_stem(text: str) -> str:
    """`text` fit for a file name: no path separators, reserved or control characters, no
    leading dots or spaces, at most MAX_STEM_BYTES; "untitled" when nothing is left."""
    kept = "".join(
        "_" if char in UNSAFE_CHARS or not char.isprintable() else char for char in text
    ).strip()
    while len(kept.encode()) > MAX_STEM_BYTES:
        kept = kept[:-1]
    return kept.lstrip(". ").rstrip() or "untitled"


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/<stem><suffix>`, or with " 2", " 3", ... after the stem when it exists."""
    candidate, number = folder / f"{stem}{suffix}", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem} {number}{suffix}"
    return candidate


@contextmanager
def open_sound(path: Path) -> Iterator[sf.SoundFile]:
    """The audio file at `path` open for reading; UnreadableAudio for every failure."""
    fd, status = open_regular_file(path)
    try:
        if status.st_size == 0:
            raise UnreadableAudio(path, EMPTY)
        try:
            sound = sf.SoundFile(fd, closefd=False)
        except sf.LibsndfileError as error:
            reason = f"cannot read as audio ({libsndfile_message(error)})"
            raise UnreadableAudio(path, reason) from error
        except OSError as error:
            raise UnreadableAudio(path, reason_for_os_error(error)) from error
        with sound:
            yield sound
    finally:
        os.close(fd)


def _snap_in_file(sound: sf.SoundFile, path: Path, frame: int, radius: int) -> int:
    """`snap_to_zero_crossing` on the frames around `frame` only (one more before, so a
    crossing at the window's first frame is seen)."""
    lo, hi = max(0, frame - radius - 1), min(sound.frames, frame + radius + 1)
    window = _read_region(sound, path, lo, hi)
    return lo + snap_to_zero_crossing(window, frame - lo, radius)


def _read_region(sound: sf.SoundFile, path: Path, start: int, end: int) -> np.ndarray:
    """Frames `start`..`end` x channels: left-justified int32 for PCM (bit-exact), float
    otherwise. UnreadableAudio when the file ends early or cannot be decoded."""
    dtype = "int32" if sound.subtype.startswith("PCM") else "float64"
    try:
        sound.seek(start)
        data = sound.read(end - start, dtype=dtype, always_2d=True)
    except sf.LibsndfileError as error:
        reason = f"cannot read as audio ({libsndfile_message(error)})"
        raise UnreadableAudio(path, reason) from error
    except OSError as error:
        raise UnreadableAudio(path, reason_for_os_error(error)) from error
    if len(data) < end - start:
        raise UnreadableAudio(path, "the file ends before its header says (truncated?)")
    return data


def _target_format(source: Path, fmt: str, subtype: str) -> tuple[str, str, str]:
    """(format, subtype, extension) a slice of `source` is written in."""
    if fmt in LOSSY_FORMATS or not sf.check_format(fmt, subtype):
        return FALLBACK
    return fmt, subtype, source.suffix or f".{fmt.lower()}"


def _faded(data: np.ndarray, fade: int) -> np.ndarray:
    """`data` with raised-cosine fades in and out of `fade` frames (kept under half of it),
    in its own dtype: the frames between the fades are untouched."""
    fade = min(fade, (len(data) - 1) // 2)
    if fade <= 0:
        return data
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)  # 0 up to just under 1
    out = data.copy()
    head = data[:fade] * ramp[:, None]
    tail = data[-fade:] * ramp[::-1, None]
    if np.issubdtype(data.dtype, np.integer):
        head, tail = np.rint(head), np.rint(tail)
    out[:fade], out[-fade:] = head, tail
    return out


def _clock(seconds: float) -> str:
    """`m.ss` for a file name: 83.4 s -> "1.23"."""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}.{secs:02d}"


def _fsync(name: str) -> None:
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
