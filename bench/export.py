"""The studio export: throughput of a full `export_archive` against `zip -r -q`, peak memory.

Also the child process it measures: `python -m bench.export STUDIO OUT` exports STUDIO into
OUT and prints one JSON line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

from bench.bounce_files import long_wav
from bench.bounces import fresh_studio
from bench.common import BenchContext, Row, ratio, run_json_child, status_kib

NAME = "export"
AUDIO_FILES = 35  # of 30 s 24-bit stereo 48 kHz WAV, 8.6 MB each: about 300 MB
QUICK_AUDIO_FILES = 7
TEXT_FILES = 400
WAV_MINUTES = 0.5
DEFLATE_SAMPLE_BYTES = 50 * 2**20
CHILD_TIMEOUT_S = 1800.0
NOTE = (
    "A studio made with `phase-os init`, filled with 35 WAV files of 30 s, 24-bit stereo "
    "48 kHz (a music-like signal: partials, swell, noise; 7 with --quick) in `bounces/` "
    "and 400 small text files (Markdown and JSON, 1-8 KB) in `scratchpad/` and `forms/`, "
    "about 300 MB, written just before (page cache warm). A child process runs "
    "`export_archive` (full) into a folder outside the studio and reads its peak RSS "
    "(VmHWM) after; then `zip -r -q` zips the same folder (the reference: deflate level 6 "
    "on every file). Best of 2 runs each (1 with --quick), in alternation; throughput in "
    "MB/s of file bytes. The deflate row: zlib level 6 on the first 50 MB of the WAV "
    "files, which the export stores instead (what it would cost and save)."
)


def run(ctx: BenchContext) -> list[Row]:
    out = ctx.root / "export-out"
    with fresh_studio(ctx, "export-studio") as studio:
        fill(studio, ctx.reps(AUDIO_FILES, QUICK_AUDIO_FILES))
        runs, zip_s = [], []
        for _ in range(ctx.reps(2, 1)):
            shutil.rmtree(out, ignore_errors=True)
            runs.append(
                run_json_child(
                    ctx,
                    [sys.executable, "-m", "bench.export", str(studio), str(out)],
                    CHILD_TIMEOUT_S,
                )
            )
            zip_s.append(zip_seconds(studio, out / "reference.zip"))
    shutil.rmtree(out, ignore_errors=True)
    best = min(runs, key=lambda found: found["seconds"])
    size_mb = best["bytes"] / 1e6
    export_rate, zip_rate = size_mb / best["seconds"], size_mb / min(zip_s)
    peak_mib, baseline_mib = best["peak_kib"] / 1024, best["baseline_kib"] / 1024
    deflate_rate = best["deflate_mb"] / best["deflate_s"]
    saved = 100 * (1 - best["deflated_mb"] / best["deflate_mb"])
    what = f"{size_mb:.0f} MB, {best['files']} files"
    return [
        Row(
            f"export_archive full ({what}) vs zip -r -q",
            export_rate,
            "MB/s",
            zip_rate,
            ratio(export_rate, zip_rate),
        ),
        Row(
            f"peak RSS of the export ({what}; reference: RSS before it)",
            peak_mib,
            "MiB",
            baseline_mib,
            ratio(peak_mib, baseline_mib),
        ),
        Row(
            f"deflate level 6 of WAV, saves {saved:.1f}% (reference: the export, storing)",
            deflate_rate,
            "MB/s",
            export_rate,
            ratio(deflate_rate, export_rate),
        ),
    ]


def fill(studio: Path, audio_files: int) -> None:
    """The audio and text files of the measured studio."""
    for index in range(audio_files):
        long_wav(studio / "bounces" / f"mix {index:02d}.wav", WAV_MINUTES, seed=index)
    for index in range(TEXT_FILES):
        folder, suffix = ("scratchpad", "md") if index % 2 else ("forms", "json")
        words = " ".join(f"note{index}-{word}" for word in range(100 + index % 700))
        (studio / folder / f"file {index:03d}.{suffix}").write_text(words[: 1000 + index * 17])


def zip_seconds(studio: Path, target: Path) -> float:
    """Seconds `zip -r -q` takes to zip the studio folder into `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(["zip", "-r", "-q", str(target), "."], cwd=studio, check=True)
    seconds = time.perf_counter() - started
    target.unlink()
    return seconds


def measure(studio: Path, out: Path) -> dict[str, Any]:
    """The child's job: one full export, its peak RSS, then deflate on the audio alone."""
    from phase_tui.archive.export import export_archive

    baseline_kib = status_kib("VmRSS")
    result = export_archive(studio, out, session="bench", at=time.time(), minimal=False)
    peak_kib = status_kib("VmHWM")
    deflate_mb, deflated_mb, deflate_s = deflate_audio(sorted(studio.glob("bounces/*.wav")))
    return {
        "seconds": result.seconds,
        "bytes": result.bytes,
        "files": result.files,
        "archive_bytes": result.path.stat().st_size,
        "baseline_kib": baseline_kib,
        "peak_kib": peak_kib,
        "deflate_mb": deflate_mb,
        "deflated_mb": deflated_mb,
        "deflate_s": deflate_s,
    }


def deflate_audio(paths: list[Path]) -> tuple[float, float, float]:
    """MB read, MB after zlib level 6, and seconds, over the first 50 MB of the files."""
    read = written = 0
    seconds = 0.0
    for path in paths:
        if read >= DEFLATE_SAMPLE_BYTES:
            break
        data = path.read_bytes()
        started = time.perf_counter()
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        written += len(compressor.compress(data)) + len(compressor.flush())
        seconds += time.perf_counter() - started
        read += len(data)
    return read / 1e6, written / 1e6, seconds


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))), flush=True)
