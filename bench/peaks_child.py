"""The process the peaks bench measures: `python -m bench.peaks_child FILE REPEATS`.

Imports numpy, soundfile and `phase_tui.audio.peaks`, reads its resident memory (VmRSS),
computes the file's peaks once and reads its peak RSS (VmHWM, not ru_maxrss: on Linux a
child's ru_maxrss starts at its parent's RSS at the fork, and the bench process holds the
signal it wrote the files from, 72 MiB instead of this child's 52); then times, REPEATS
times in alternation, soundfile decoding the file alone to float32 in 65,536-frame blocks
(the reference) and `compute_peaks`. Prints one JSON line: the RSS figures in KiB and the
best time of each.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from bench.common import status_kib
from phase_tui.audio.peaks import compute_peaks

DECODE_BLOCK_FRAMES = 65536


def decode(path: Path) -> None:
    """Decode the file to float32 blocks and do nothing else, as soundfile alone does."""
    with sf.SoundFile(path) as sound:
        buffer = np.empty((DECODE_BLOCK_FRAMES, sound.channels), dtype=np.float32)
        while len(sound.read(DECODE_BLOCK_FRAMES, dtype="float32", out=buffer)):
            pass


def timed_s(job: Callable[[Path], object], path: Path) -> float:
    """Seconds `job(path)` takes."""
    started = time.perf_counter()
    job(path)
    return time.perf_counter() - started


def measure(path: Path, repeats: int) -> dict[str, Any]:
    baseline_kib = status_kib("VmRSS")
    peaks = compute_peaks(path)
    peak_kib = status_kib("VmHWM")
    decode_s, peaks_s = [], []
    for _ in range(repeats):
        decode_s.append(timed_s(decode, path))
        peaks_s.append(timed_s(compute_peaks, path))
    return {
        "baseline_kib": baseline_kib,
        "peak_kib": peak_kib,
        "decode_s": min(decode_s),
        "peaks_s": min(peaks_s),
        "frames": peaks.frames,
        "bucket_frames": peaks.bucket_frames,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))), flush=True)
