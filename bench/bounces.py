"""The bounce logger: live detection latency, catch-up scan and analysis speed, memory.

Each part runs in child processes (`bench.bounce_child`) on a studio of its own, made with
`phase-os init` under the bench context's root and removed afterwards; this process only
writes the audio files, as a DAW would.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.bounce_files import long_wav, short_mix
from bench.bounce_live import child_argv, live_latencies_ms
from bench.common import (
    BenchContext,
    Row,
    median,
    percentile,
    ratio,
    run_json_child,
    run_quiet,
)

NAME = "bounces"
LATENCY_MARGIN_MS = 250.0
REGISTER_TARGET = 0.5
ANALYSIS_TARGET = 0.7
RESCAN_TARGET = 10.0
LONG_MINUTES = 10.0
CHILD_TIMEOUT_S = 3600.0
NOTE = (
    "Each part runs in child processes on a studio of its own made with `phase-os init` "
    "(default config: export folder `bounces`, settle time 1 s), while the bench process "
    "writes the files. Latency: a started `BounceLogger` (watcher, settle tracker, analysis "
    "queue) in a child; the bench writes 50 bounces (10 with --quick), one after the other, "
    "each a 3 s stereo 24-bit 48 kHz WAV written as a DAW exports (header, then 6 flushed "
    "pieces 30 ms apart, then close); latency runs from just after the close to the "
    "`BounceLogged` event (emitted once the record and the journal event are stored), both "
    "read on the system-wide monotonic clock; reported beside the configured settle time; "
    "a bounce not logged within settle + 10 s counts as that and fails the row. Scan: 5,000 "
    "files (1,000 with --quick), 1-5 s of a music-like signal each (a slice at its own offset "
    "and gain, so no two are identical), alternating WAV/FLAC, 16/24-bit, 44.1/48 kHz, "
    "mono/stereo, 100 per sub-folder, written just before (page cache warm). One child "
    "times, in this order: `soundfile.info` of every file (the reference of registration), "
    "`compiler.catch_up` on the fresh Store, a second `catch_up` with nothing changed, the "
    "`AnalysisQueue` (hash, peak, RMS, LUFS, stored in batches) from start to idle, with "
    "the two worker threads it runs on two cores, then decoding every file alone to float32 "
    "in 65,536-frame blocks on one thread, as soundfile alone does (the reference of the "
    "analysis); throughput in MB/s of file bytes. Memory: another child catches up and "
    "analyses 3 files (1 with --quick) of 10 min of 24-bit stereo 48 kHz WAV; its peak RSS "
    "(VmHWM: its own high-water mark) is taken right after. Then, for the informational "
    "long-file throughput row, it times `catalogue.hash_file` + `catalogue.analyse` of each "
    "file (the audio work alone: no Store write, no batching window) against decoding the "
    "files alone."
)


def run(ctx: BenchContext) -> list[Row]:
    return [*latency_rows(ctx), *scan_rows(ctx), *memory_rows(ctx)]


@contextlib.contextmanager
def fresh_studio(ctx: BenchContext, name: str) -> Iterator[Path]:
    """A studio made by `phase-os init` under the bench root, removed afterwards."""
    path = ctx.root / name
    run_quiet([*ctx.phase_os_cmd(), "init", str(path)], ctx.env)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run_child(ctx: BenchContext, job: str, studio: Path) -> dict[str, Any]:
    """Run one child job to its end; its JSON result."""
    return run_json_child(ctx, child_argv(job, studio), CHILD_TIMEOUT_S)


# ---------------------------------------------------------------------- live latency
def latency_rows(ctx: BenchContext) -> list[Row]:
    with fresh_studio(ctx, "bounce-live") as studio:
        latencies, settle_ms, missed = live_latencies_ms(ctx, studio)
    p95, middle = percentile(latencies, 95), median(latencies)
    name = "bounce closed -> logged and stored"
    if missed:
        name += f" [{missed} of {len(latencies)} not logged]"
    return [
        Row(
            f"{name}, p95",
            p95,
            "ms",
            settle_ms,
            ratio(p95, settle_ms),
            f"<= settle + {LATENCY_MARGIN_MS:.0f} ms",
            p95 <= settle_ms + LATENCY_MARGIN_MS and not missed,
        ),
        Row(f"{name}, median", middle, "ms", settle_ms, ratio(middle, settle_ms)),
    ]


# ---------------------------------------------------------------------- catch-up scan
def scan_rows(ctx: BenchContext) -> list[Row]:
    count = ctx.reps(5000, 1000)
    with fresh_studio(ctx, "bounce-scan") as studio:
        short_mix(studio / "bounces", count)
        out = run_child(ctx, "scan", studio)
    files = out["files"]
    register_rate, info_rate = files / out["register_s"], files / out["info_s"]
    rescan_rate = files / out["rescan_s"]
    decode_rate = out["bytes"] / 1e6 / out["decode_s"]
    analysis_rate = out["bytes"] / 1e6 / out["analysis_s"] if out["analysis_s"] else 0.0
    registered_all, analysed_all = out["registered"] == files, out["analysed"] == files
    factors = (
        ratio(register_rate, info_rate),
        ratio(analysis_rate, decode_rate),
        ratio(rescan_rate, register_rate),
    )
    what = f"{files:,} WAV/FLAC of 1-5 s"
    return [
        Row(
            f"catch-up registration, {what}" + ("" if registered_all else " [not all registered]"),
            register_rate,
            "files/s",
            info_rate,
            factors[0],
            f">= {REGISTER_TARGET}x sf.info",
            factors[0] >= REGISTER_TARGET and registered_all,
        ),
        Row(
            f"analysis (hash, peak, RMS, LUFS), {what}"
            + ("" if analysed_all else f" [{out['analysed']} analysed]"),
            analysis_rate,
            "MB/s",
            decode_rate,
            factors[1],
            f">= {ANALYSIS_TARGET}x decode",
            factors[1] >= ANALYSIS_TARGET and analysed_all,
        ),
        Row(
            f"re-scan of the {files:,} unchanged files",
            rescan_rate,
            "files/s",
            register_rate,
            factors[2],
            f">= {RESCAN_TARGET:g}x registration",
            factors[2] >= RESCAN_TARGET,
        ),
    ]


# ---------------------------------------------------------------------- memory
def memory_rows(ctx: BenchContext) -> list[Row]:
    count = ctx.reps(3, 1)
    with fresh_studio(ctx, "bounce-long") as studio:
        for index in range(count):
            long_wav(studio / "bounces" / f"long mix {index}.wav", LONG_MINUTES, seed=index)
        out = run_child(ctx, "memory", studio)
    what = f"{count} x {LONG_MINUTES:.0f} min 24-bit stereo 48 kHz WAV"
    peak_mib, files_mib = out["peak_kib"] / 1024, out["bytes"] / 2**20
    analysis_rate = out["bytes"] / 1e6 / out["direct_s"]
    decode_rate = out["bytes"] / 1e6 / out["decode_s"]
    return [
        Row(
            f"peak RSS, catch-up + analysis of {what} (reference: their size)",
            peak_mib,
            "MiB",
            files_mib,
            ratio(peak_mib, files_mib),
        ),
        Row(
            f"hash_file + analyse of {what} (no Store, no queue)",
            analysis_rate,
            "MB/s",
            decode_rate,
            ratio(analysis_rate, decode_rate),
        ),
    ]
