"""Signal helpers on numpy audio: levels, mixing, fades, saturation, a low-pass filter,
and the envelopes, panning and looped placement the instruments share.

Audio is a 1-D mono signal or an array shaped (frames, channels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def db_to_gain(level_db: float) -> float:
    """Linear gain of a level in dB."""
    return 10.0 ** (level_db / 20.0)


def as_frames(audio: np.ndarray, channels: int) -> np.ndarray:
    """A 1-D or (frames, n) signal as (frames, channels): mono is copied, stereo folded."""
    frames = audio.reshape(len(audio), -1)
    if frames.shape[1] == channels:
        return frames
    mono = frames.mean(axis=1, keepdims=True)
    return np.repeat(mono, channels, axis=1)


def normalise(audio: np.ndarray, peak_dbfs: float = -1.0) -> np.ndarray:
    """Scale so the highest absolute sample sits at `peak_dbfs`; silence stays silent."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak == 0.0:
        return audio.astype(np.float32)
    return (audio * (db_to_gain(peak_dbfs) / peak)).astype(np.float32)


def mix(
    layers: Sequence[np.ndarray],
    gains_db: Sequence[float] | None = None,
    *,
    peak_dbfs: float = -1.0,
) -> np.ndarray:
    """Sum layers (shorter ones padded with silence, mono spread to stereo), normalised."""
    gains_db = gains_db if gains_db is not None else [0.0] * len(layers)
    frames = max(len(layer) for layer in layers)
    channels = max(layer.reshape(len(layer), -1).shape[1] for layer in layers)
    total = np.zeros((frames, channels))
    for layer, gain_db in zip(layers, gains_db, strict=True):
        total[: len(layer)] += as_frames(layer, channels) * db_to_gain(gain_db)
    return normalise(total, peak_dbfs)


def fade(
    audio: np.ndarray, sample_rate_hz: int, *, in_s: float = 0.0, out_s: float = 0.0
) -> np.ndarray:
    """A copy with linear fades: from silence over `in_s`, to silence over `out_s`."""
    faded = np.array(audio, dtype=np.float32, copy=True)
    frames_in = min(len(faded), round(in_s * sample_rate_hz))
    frames_out = min(len(faded), round(out_s * sample_rate_hz))
    if frames_in:
        faded[:frames_in] *= np.linspace(0.0, 1.0, frames_in).reshape(-1, *[1] * (faded.ndim - 1))
    if frames_out:
        ramp = np.linspace(1.0, 0.0, frames_out).reshape(-1, *[1] * (faded.ndim - 1))
        faded[len(faded) - frames_out :] *= ramp
    return faded


def soft_clip(audio: np.ndarray, drive_db: float, peak_dbfs: float = -0.3) -> np.ndarray:
    """A tanh saturator, the demo's "mastering": louder, denser, peak kept at `peak_dbfs`."""
    drive = db_to_gain(drive_db)
    return normalise(np.tanh(audio * drive), peak_dbfs)


def lowpass(audio: np.ndarray, cutoff_hz: float, sample_rate_hz: int, poles: int = 1) -> np.ndarray:
    """Cascaded one-pole low-pass (6 dB/octave a pole) along the frames axis.

    Runs as an FFT convolution with the filter's impulse response cut at -80 dB, which is
    the recursive filter to within 1e-4 and needs no Python loop over samples.
    """
    if cutoff_hz >= sample_rate_hz / 2:
        return np.asarray(audio, dtype=np.float64)
    coefficient = 1.0 - math.exp(-2.0 * math.pi * cutoff_hz / sample_rate_hz)
    taps = int(math.ceil(math.log(1e-4) / math.log(1.0 - coefficient))) + 1
    response = coefficient * (1.0 - coefficient) ** np.arange(taps)
    kernel = response
    for _ in range(poles - 1):
        kernel = np.convolve(kernel, response)
    frames = len(audio)
    size = 1 << (frames + len(kernel) - 1).bit_length()
    spectrum = np.fft.rfft(audio, size, axis=0)
    kernel_spectrum = np.fft.rfft(kernel, size).reshape(-1, *[1] * (np.ndim(audio) - 1))
    return np.fft.irfft(spectrum * kernel_spectrum, size, axis=0)[:frames]


def add_wrapped(track: np.ndarray, sound: np.ndarray, start: int) -> None:
    """Add `sound` into `track` at `start`; a tail past the end wraps to the start (loops)."""
    end = start + len(sound)
    if end <= len(track):
        track[start:end] += sound
    else:
        np.add.at(track, (start + np.arange(len(sound))) % len(track), sound)


def gate_envelope(frames: int, gate_frames: int, attack_frames: int) -> np.ndarray:
    """Linear attack up to 1, held until the gate closes, then a linear release to 0 at the end."""
    index = np.arange(frames)
    attack = np.minimum(1.0, (np.minimum(index, gate_frames) + 1) / max(attack_frames, 1))
    release_frames = max(frames - gate_frames, 1)
    release = np.clip(1.0 - (index - gate_frames) / release_frames, 0.0, 1.0)
    return attack * np.where(index < gate_frames, 1.0, release)


def pan_gains(position: float) -> tuple[float, float]:
    """Left and right gains of a constant-power pan: -1 left, 0 centre, 1 right."""
    angle = (position + 1.0) * math.pi / 4.0
    return math.cos(angle), math.sin(angle)
