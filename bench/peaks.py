"""Waveform peaks: `compute_peaks` of a 10-minute mix against decoding it alone, and memory.

The bench process writes the files; each is measured in a child process of its own
(`bench.peaks_child`), so one file's peak RSS is not another's.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import soundfile as sf

from bench.bounce_files import music_like
from bench.common import BenchContext, Row, ratio, run_json_child

NAME = "peaks"
MINUTES = 10
RATE_HZ = 44100
BLOCK_S = 10.0
TIME_TARGET = 1.3
MEMORY_TARGET_MIB = 64.0
CHILD_TIMEOUT_S = 600.0
FORMATS = (("WAV", "PCM_16", "wav"), ("FLAC", "PCM_16", "flac"), ("MP3", "MPEG_LAYER_III", "mp3"))
NOTE = (
    "Three files of 10 min of stereo 44.1 kHz, a music-like signal (detuned partials, a slow "
    "swell, noise; 10 s blocks at a gain rising from 0.5 to 1), written by soundfile just "
    "before (page cache warm): WAV 16-bit, FLAC 16-bit, MP3 (if this libsndfile writes it). "
    "Each file is measured in a child process (`python -m bench.peaks_child`): after "
    "importing numpy, soundfile and `phase_tui.audio.peaks` it reads its RSS, computes the "
    "peaks once and reads its peak RSS (VmHWM: a child's ru_maxrss starts at the parent's "
    "RSS at the fork); the difference is the memory row (reference: the file decoded whole "
    "to float32). Then, 5 times (2 with --quick) in alternation, it times "
    "soundfile decoding the file alone to float32 in 65,536-frame blocks on one thread (the "
    "reference) and `compute_peaks` (decode, the reduction to buckets on the read-ahead "
    "pipeline, the pyramid); the best of each is reported."
)


def run(ctx: BenchContext) -> list[Row]:
    folder = ctx.root / "peaks"
    folder.mkdir()
    try:
        return [row for fmt in FORMATS for row in format_rows(ctx, folder, *fmt)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def format_rows(ctx: BenchContext, folder: Path, fmt: str, subtype: str, suffix: str) -> list[Row]:
    what = f"{MINUTES} min stereo 44.1 kHz {fmt}"
    if not sf.check_format(fmt, subtype):
        return [Row(f"compute_peaks, {what}: this libsndfile cannot write {fmt}", None, "")]
    path = write_mix(folder / f"mix.{suffix}", fmt, subtype)
    out = run_child(ctx, path)
    peaks_ms, decode_ms = 1000 * out["peaks_s"], 1000 * out["decode_s"]
    above_mib = (out["peak_kib"] - out["baseline_kib"]) / 1024
    decoded_mib = out["frames"] * 2 * 4 / 2**20
    factor = ratio(peaks_ms, decode_ms)
    return [
        Row(
            f"compute_peaks, {what} (buckets of {out['bucket_frames']} frames)",
            peaks_ms,
            "ms",
            decode_ms,
            factor,
            f"<= {TIME_TARGET}x decode",
            factor <= TIME_TARGET,
        ),
        Row(
            f"peak RSS above the interpreter, compute_peaks of {what} (reference: decoded)",
            above_mib,
            "MiB",
            decoded_mib,
            ratio(above_mib, decoded_mib),
            f"<= {MEMORY_TARGET_MIB:.0f} MiB",
            above_mib <= MEMORY_TARGET_MIB,
        ),
    ]


def write_mix(path: Path, fmt: str, subtype: str) -> Path:
    """MINUTES of a music-like stereo signal, written one 10 s block at a time."""
    block = music_like(BLOCK_S, RATE_HZ, seed=11)
    blocks = round(MINUTES * 60 / BLOCK_S)
    with sf.SoundFile(path, "w", RATE_HZ, 2, subtype=subtype, format=fmt) as out:
        for index in range(blocks):
            out.write(block * (0.5 + 0.5 * index / blocks))
    return path


def run_child(ctx: BenchContext, path: Path) -> dict[str, Any]:
    """Measure one file in a child process; its JSON result."""
    argv = [sys.executable, "-m", "bench.peaks_child", str(path), str(ctx.reps(5, 2))]
    return run_json_child(ctx, argv, CHILD_TIMEOUT_S)
