"""Synthetic bounces for the bounce-logger bench: short mixed files, long files, live writes.

Every file holds different samples (a slice of a music-like signal at its own offset and
gain), so no two share a content hash and the catalogue sees real new bounces, not
duplicates. Formats alternate WAV/FLAC, 16/24-bit, mono/stereo, 44.1/48 kHz.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import soundfile as sf

RATES_HZ = (44100, 48000)
SOURCE_S = 6.0  # the signal every short file is cut from
FORMATS = (("wav", "PCM_16"), ("flac", "PCM_16"), ("wav", "PCM_24"), ("flac", "PCM_24"))
FILES_PER_FOLDER = 100
LONG_BLOCK_S = 10.0


def music_like(seconds: float, rate_hz: int, seed: int) -> np.ndarray:
    """Stereo float32: a few detuned partials, a slow swell and some noise (FLAC compresses
    it about as well as a mix)."""
    rng = np.random.default_rng(seed)
    t_s = np.arange(round(seconds * rate_hz)) / rate_hz
    left = sum(0.12 * np.sin(2 * np.pi * f * t_s) for f in (55.0, 220.0, 331.0, 1210.0))
    swell = 0.6 + 0.4 * np.sin(2 * np.pi * 0.25 * t_s)
    mono = swell * left
    noise = 0.03 * rng.standard_normal((len(t_s), 2))
    return (mono[:, np.newaxis] + noise).astype(np.float32)


def short_mix(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` files of 1-5 s in sub-folders of `folder`; the paths written."""
    rng = np.random.default_rng(seed)
    sources = {rate: music_like(SOURCE_S, rate, seed) for rate in RATES_HZ}
    paths: list[Path] = []
    for index in range(count):
        suffix, subtype = FORMATS[index % len(FORMATS)]
        rate_hz = RATES_HZ[(index // len(FORMATS)) % len(RATES_HZ)]
        channels = 1 + (index // (len(FORMATS) * len(RATES_HZ))) % 2
        frames = int(rng.uniform(1.0, 5.0) * rate_hz)
        start = int(rng.integers(0, len(sources[rate_hz]) - frames))
        gain = rng.uniform(0.2, 1.0)
        data = gain * sources[rate_hz][start : start + frames, :channels]
        sub = folder / f"session {index // FILES_PER_FOLDER:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"idea {index:05d} v{1 + index % 3}.{suffix}"
        sf.write(path, data, rate_hz, subtype=subtype)
        paths.append(path)
    return paths


def long_wav(path: Path, minutes: float, rate_hz: int = 48000, seed: int = 3) -> Path:
    """A stereo 24-bit WAV of `minutes`, written block by block (bounded memory)."""
    block = music_like(LONG_BLOCK_S, rate_hz, seed)
    blocks = round(minutes * 60 / LONG_BLOCK_S)
    with sf.SoundFile(path, "w", rate_hz, 2, subtype="PCM_24") as out:
        for index in range(blocks):
            out.write(block * (0.5 + 0.5 * index / max(blocks, 1)))
    return path


def export_progressively(
    path: Path, seconds: float, chunks: int, pause_s: float, seed: int, rate_hz: int = 48000
) -> float:
    """Write a stereo 24-bit WAV as a DAW exports: header first, then `chunks` flushed pieces
    `pause_s` apart. Returns `time.monotonic()` just after the file is closed."""
    data = music_like(seconds, rate_hz, seed)
    with sf.SoundFile(path, "w", rate_hz, 2, subtype="PCM_24") as out:
        for piece in np.array_split(data, chunks):
            out.write(piece)
            out.flush()
            time.sleep(pause_s)
    return time.monotonic()
