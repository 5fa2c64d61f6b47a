"""Audio as Whisper wants it: mono float32 at 16 kHz, read with soundfile.

No ffmpeg and no scipy: the file is decoded by libsndfile and resampled here with a
windowed-sinc (Kaiser) polyphase filter in numpy, whose cut-off sits below the new
Nyquist frequency so nothing above 8 kHz folds back into the speech band.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import soundfile as sf

from phase_tui.audio.errors import EMPTY, UnreadableAudio
from phase_tui.audio.opening import open_regular_file

WHISPER_RATE_HZ = 16000
ZERO_CROSSINGS = 24  # each side of a tap, in periods of the lower of the two rates
ROLLOFF = 0.9  # the pass band ends at this fraction of the lower Nyquist frequency
KAISER_BETA = 9.0
OUTPUT_CHUNK = 16384  # outputs computed at once (bounds the gather's memory)


def load_for_whisper(path: Path) -> np.ndarray:
    """The file's audio, mixed to mono, resampled to 16 kHz: contiguous float32.

    Raises `UnreadableAudio` when the file cannot be decoded."""
    samples, rate = _read(path)
    mono = samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0]
    return np.ascontiguousarray(resample(mono, rate, WHISPER_RATE_HZ), dtype=np.float32)


def _read(path: Path) -> tuple[np.ndarray, int]:
    fd, status = open_regular_file(path)
    if status.st_size == 0:
        os.close(fd)
        raise UnreadableAudio(path, EMPTY)
    try:
        with sf.SoundFile(fd, closefd=True) as sound:
            return sound.read(dtype="float32", always_2d=True), sound.samplerate
    except (sf.SoundFileError, RuntimeError, TypeError) as error:
        raise UnreadableAudio(path, f"not readable as audio ({error})") from error


def resample(signal: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """A 1-D signal resampled from `rate_in` to `rate_out` Hz, low-passed below the lower
    Nyquist frequency; its length is round(len * rate_out / rate_in)."""
    if rate_in == rate_out:
        return signal.astype(np.float32, copy=False)
    common = math.gcd(rate_in, rate_out)
    up, down = rate_out // common, rate_in // common
    table, first = _phase_table(up, down)
    taps = table.shape[1]
    n_out = round(len(signal) * up / down)
    padded = np.concatenate(
        (np.zeros(-first, np.float32), signal.astype(np.float32), np.zeros(taps, np.float32))
    )
    out = np.empty(n_out, dtype=np.float32)
    offsets = np.arange(taps)
    for start in range(0, n_out, OUTPUT_CHUNK):
        n = np.arange(start, min(start + OUTPUT_CHUNK, n_out), dtype=np.int64)
        base, phase = np.divmod(n * down, up)
        window = padded[base[:, None] + offsets[None, :]]
        out[start : start + len(n)] = np.einsum("ij,ij->i", window, table[phase])
    return out


def _phase_table(up: int, down: int) -> tuple[np.ndarray, int]:
    """The filter taps for each of the `up` phases (rows), and the offset of the first tap
    from the input sample at or before the output instant."""
    cutoff = ROLLOFF * min(1.0, up / down)  # in cycles per input sample x 2 (1 = Nyquist)
    half = math.ceil(ZERO_CROSSINGS / cutoff)  # input samples each side
    first = -half + 1
    k = np.arange(first, half + 1, dtype=np.float64)  # tap positions from the base sample
    u = np.arange(up, dtype=np.float64)[:, None] / up - k[None, :]  # output time - tap time
    reach = np.clip(u / half, -1.0, 1.0)
    kaiser = np.i0(KAISER_BETA * np.sqrt(1.0 - reach**2)) / np.i0(KAISER_BETA)
    taps = cutoff * np.sinc(cutoff * u) * kaiser
    return taps.astype(np.float32), first
