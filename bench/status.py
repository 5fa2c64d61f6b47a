"""`phase-os status` wall time (the tmux status-bar path) against `python -c pass`."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.common import BenchContext, Row, median, ratio, run_quiet

NAME = "status"
TARGET_RATIO = 2.0
NOTE = (
    "Wall time of `phase-os --studio S status` (the console script, answered by the fast "
    "path in `phase_tui/entry.py` from `.phase_os/status.txt`, which exists once the app has "
    "run; otherwise the bench makes it with an offline `phase-os --studio S phase set "
    "builder`) against `python -c pass` with the same venv interpreter; the two alternate, "
    "one warm-up each, then 30 runs each (10 with --quick); medians. The row also fails "
    "unless every run exits 0 and prints exactly one non-empty line."
)


def timed_run(argv: list[str], ctx: BenchContext) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Seconds from spawn to exit, and the finished process."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=ctx.env, capture_output=True, text=True, timeout=30)
    return time.perf_counter() - start, done


def run(ctx: BenchContext) -> list[Row]:
    if not (ctx.studio / ".phase_os" / "status.txt").exists():
        run_quiet([*ctx.app_cmd(), "phase", "set", "builder"], ctx.env)
    status_cmd = [*ctx.app_cmd(), "status"]
    python_cmd = [sys.executable, "-c", "pass"]
    timed_run(status_cmd, ctx), timed_run(python_cmd, ctx)  # warm the page cache
    ours: list[float] = []
    bare: list[float] = []
    problems: list[str] = []
    for _ in range(ctx.reps(30, 10)):
        elapsed, done = timed_run(status_cmd, ctx)
        ours.append(elapsed)
        lines = done.stdout.splitlines()
        if done.returncode != 0 or len(lines) != 1 or not lines[0].strip():
            problems.append(f"exit {done.returncode}, {len(lines)} lines")
        bare.append(timed_run(python_cmd, ctx)[0])
    value, reference = median(ours) * 1000, median(bare) * 1000
    factor = ratio(value, reference)
    name = "`phase-os status` wall time (median)"
    if problems:
        name += f" [output not one line: {problems[0]}]"
    return [
        Row(
            name,
            value,
            "ms",
            reference,
            factor,
            f"<= {TARGET_RATIO:g}x, one line",
            factor <= TARGET_RATIO and not problems,
        )
    ]
