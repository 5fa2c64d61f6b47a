"""The processes the bounce bench measures: each opens a studio, does one job, prints JSON.

`python -m bench.bounce_child JOB STUDIO`, with JOB one of:

- `live`: a started `BounceLogger` (watcher, settle tracker, analysis queue), as the app
  runs it. Prints `ready`, then one JSON line per `BounceLogged` event with the
  `time.monotonic()` at which it was emitted (the clock is system-wide, so the parent can
  compare it with the moment it closed the file). Stops when stdin closes.
- `scan`: over the files already in the export folder, times `soundfile.info` alone,
  `compiler.catch_up` on the fresh Store, a second catch-up (nothing changed), decoding
  alone (float32 blocks), then the analysis queue (hash, peak, RMS, LUFS, stored).
- `memory`: catch-up and analysis as in `scan`, then the process's peak RSS; then, for the
  throughput of long files, `hash_file` + `analyse` of each record (the audio work alone:
  no Store, no batching), and decoding alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from bench.common import status_kib
from phase_tui.context import StudioContext
from phase_tui.events import BounceLogged
from phase_tui.loop.compiler import catch_up, walk_candidates
from phase_tui.loop.logger import BounceLogger

DECODE_BLOCK_FRAMES = 65536
ANALYSIS_TIMEOUT_S = 3600.0


def open_logger(studio: Path, emit: Callable[[object], None]) -> tuple[BounceLogger, float]:
    """A BounceLogger on the studio's own config and Store, as the app builds it, and the
    settle time of that config."""
    context = StudioContext.open(studio)
    bounce_context = {"session": context.session()["name"], "phase": "builder", "form": None}
    logger = BounceLogger(
        context.studio.root, context.config, context.store, lambda: bounce_context, emit
    )
    return logger, context.config.watch.settle_s


def live(studio: Path) -> dict[str, Any]:
    """Run the logger until stdin closes, printing each logged bounce as it is emitted."""

    def emit(event: object) -> None:
        if isinstance(event, BounceLogged):
            line = {"name": event.record["name"], "kind": event.kind, "at": time.monotonic()}
            print(json.dumps(line), flush=True)

    logger, settle_s = open_logger(studio, emit)
    logger.start()
    print(json.dumps({"ready": True, "settle_s": settle_s}), flush=True)
    sys.stdin.read()
    logger.stop()
    return {"stopped": True}


def timed(job: Callable[[], object]) -> float:
    """Seconds `job()` takes."""
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def decode(paths: list[Path]) -> None:
    """Decode every file to float32 blocks and do nothing else (the reference)."""
    for path in paths:
        with sf.SoundFile(path) as sound:
            buffer = np.empty((DECODE_BLOCK_FRAMES, sound.channels), dtype=np.float32)
            while len(sound.read(DECODE_BLOCK_FRAMES, dtype="float32", out=buffer)):
                pass


def register_and_analyse(logger: BounceLogger) -> dict[str, Any]:
    """Catch up on a fresh Store, catch up again, analyse everything; seconds and counts."""
    folders, rules = logger.folders, logger.rules
    started = time.perf_counter()
    report = catch_up(logger.catalogue, folders, rules)
    register_s = time.perf_counter() - started
    rescan_s = timed(lambda: catch_up(logger.catalogue, folders, rules))
    queue = logger.analysis
    queue.put(record["id"] for record in report.new)
    started = time.perf_counter()
    queue.start()
    idle = queue.wait_idle(ANALYSIS_TIMEOUT_S)
    analysis_s = time.perf_counter() - started
    queue.stop()
    records = logger.catalogue.records()
    return {
        "registered": len(report.new),
        "register_s": register_s,
        "rescan_s": rescan_s,
        "analysis_s": analysis_s if idle else None,
        "analysed": sum(1 for r in records if r.get("analysed") and r.get("hash")),
    }


def scan(studio: Path) -> dict[str, Any]:
    logger, _settle_s = open_logger(studio, lambda _event: None)
    paths = list(walk_candidates(logger.folders, logger.rules))
    info_s = timed(lambda: [sf.info(str(path)) for path in paths])
    found = register_and_analyse(logger)
    decode_s = timed(lambda: decode(paths))
    return {**found, **_sizes(paths), "info_s": info_s, "decode_s": decode_s}


def memory(studio: Path) -> dict[str, Any]:
    logger, _settle_s = open_logger(studio, lambda _event: None)
    paths = list(walk_candidates(logger.folders, logger.rules))
    found = register_and_analyse(logger)
    peak_kib = status_kib("VmHWM")  # not ru_maxrss: a child's starts at its parent's RSS
    catalogue = logger.catalogue
    records = catalogue.records()
    direct_s = timed(lambda: [(catalogue.hash_file(r), catalogue.analyse(r)) for r in records])
    decode_s = timed(lambda: decode(paths))
    return {
        **found,
        **_sizes(paths),
        "peak_kib": peak_kib,
        "direct_s": direct_s,
        "decode_s": decode_s,
    }


def _sizes(paths: list[Path]) -> dict[str, int]:
    return {"files": len(paths), "bytes": sum(os.path.getsize(path) for path in paths)}


JOBS: dict[str, Callable[[Path], dict[str, Any]]] = {"live": live, "scan": scan, "memory": memory}

if __name__ == "__main__":
    print(json.dumps(JOBS[sys.argv[1]](Path(sys.argv[2]))), flush=True)
