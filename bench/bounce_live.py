"""The live half of the bounce bench: a logger child, bounces exported one after the other.

The child (`bench.bounce_child live`) runs a started `BounceLogger` and prints each
`BounceLogged` event with its monotonic time; this side writes each bounce as a DAW
exports it and pairs the moment it closed the file with the moment the event came.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from bench.bounce_files import export_progressively
from bench.common import REPO_ROOT, BenchContext

BOUNCE_S, BOUNCE_CHUNKS, CHUNK_PAUSE_S = 3.0, 6, 0.03
MISSED_WAIT_S = 10.0  # a bounce not logged within settle time + this counts as this long


def child_argv(job: str, studio: Path) -> list[str]:
    """How a `bench.bounce_child` job is started (run with the repository as cwd)."""
    return [sys.executable, "-m", "bench.bounce_child", job, str(studio)]


def read_lines(stream: IO[str], lines: queue.Queue[dict[str, Any] | None]) -> None:
    """Parse the child's JSON lines onto a queue; None when it closes its output."""
    for line in stream:
        with contextlib.suppress(ValueError):
            lines.put(json.loads(line))
    lines.put(None)


def wait_logged(lines: queue.Queue[dict[str, Any] | None], name: str, wait_s: float) -> float:
    """The monotonic time at which the child logged `name`; raises TimeoutError."""
    while True:
        try:
            line = lines.get(timeout=wait_s)
        except queue.Empty:
            raise TimeoutError(name) from None
        if line is None:
            raise RuntimeError("the logger child exited")
        if line.get("name") == name:
            return float(line["at"])


def live_latencies_ms(ctx: BenchContext, studio: Path) -> tuple[list[float], float, int]:
    """(close -> logged latencies, settle time in ms, bounces missed) of a live logger."""
    lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
    with (studio / "logger.err").open("w") as errors:
        proc = subprocess.Popen(
            child_argv("live", studio),
            cwd=REPO_ROOT,
            env=ctx.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    assert proc.stdin is not None and proc.stdout is not None
    threading.Thread(target=read_lines, args=(proc.stdout, lines), daemon=True).start()
    try:
        ready = lines.get(timeout=60)
        if ready is None:
            raise RuntimeError("the logger child exited before it was ready")
        settle_ms = float(ready["settle_s"]) * 1000
        latencies, missed = [], 0
        for index in range(ctx.reps(50, 10)):
            path = studio / "bounces" / f"live take {index:03d}.wav"
            closed_at = export_progressively(
                path, BOUNCE_S, BOUNCE_CHUNKS, CHUNK_PAUSE_S, seed=index
            )
            wait_s = settle_ms / 1000 + MISSED_WAIT_S
            try:
                latencies.append((wait_logged(lines, path.name, wait_s) - closed_at) * 1000)
            except TimeoutError:
                latencies.append(wait_s * 1000)
                missed += 1
    except RuntimeError as error:
        tail = (studio / "logger.err").read_text(errors="replace")[-400:]
        raise RuntimeError(f"{error}; its stderr ends: {tail!r}") from error
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    return latencies, settle_ms, missed
