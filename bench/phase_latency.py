"""External phase change -> HUD update latency: by editing the phase file, and by the shell."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

from bench.common import BenchContext, PtyApp, Row, median, percentile, upper_marker

NAME = "phase_latency"
TARGET_P95_MS = 300.0
SETTLE_S = 3.0
GAP_S = 0.3
TIMEOUT_S = 5.0
CYCLE = ("builder", "remix", "oracle")
NOTE = (
    "With Phase OS running on the pty (3 s settle so the watcher and the control socket are "
    "up), the phase is changed 30 times (10 with --quick), ~0.3 s apart, cycling "
    "builder/remix/oracle. By file: a plain `open(current_phase.txt, 'w').write(NAME)`, as "
    "`echo` does. By shell: `phase-os --studio S phase set NAME` (a new process, through the "
    "control socket; its start-up is included). Latency runs from just before the write or "
    "the spawn to the arrival of the pty chunk that completes the new name in upper case "
    "(the HUD chip) in the output after that point; a change not seen within 5 s counts as "
    "5 s and fails the row. The `phase set` command's own wall time (spawn to exit) is "
    "reported beside it."
)


def write_file(ctx: BenchContext, phase: str) -> None:
    with open(ctx.studio / "current_phase.txt", "w", encoding="utf-8") as handle:
        handle.write(phase + "\n")


def shell_set(ctx: BenchContext, phase: str) -> None:
    subprocess.run(
        [*ctx.app_cmd(), "phase", "set", phase],
        env=ctx.env,
        capture_output=True,
        timeout=30,
        check=True,
    )


def latencies_ms(
    ctx: BenchContext, app: PtyApp, change: Callable[[BenchContext, str], None], count: int
) -> tuple[list[float], int, list[float]]:
    """Latency of each change in ms, how many were never seen, how long each change took."""
    current, found, missed, took = ctx.current_phase(), [], 0, []
    for _ in range(count):
        phase = CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)] if current in CYCLE else CYCLE[0]
        since, start = app.offset(), time.perf_counter()
        change(ctx, phase)
        took.append((time.perf_counter() - start) * 1000)
        try:
            found.append((app.wait_for(upper_marker(phase), since, TIMEOUT_S) - start) * 1000)
        except TimeoutError:
            found.append(TIMEOUT_S * 1000)
            missed += 1
        current = phase
        time.sleep(GAP_S)
    return found, missed, took


def rows_for(label: str, values: list[float], missed: int, took: list[float]) -> list[Row]:
    """p95 (the target) and median of the latency, and the command's own time if it has one."""
    p95 = percentile(values, 95)
    suffix = f" [{missed} not seen]" if missed else ""
    rows = [
        Row(
            f"phase via {label} -> HUD, p95{suffix}",
            p95,
            "ms",
            None,
            None,
            f"<= {TARGET_P95_MS:g} ms",
            p95 <= TARGET_P95_MS and not missed,
        ),
        Row(f"phase via {label} -> HUD, median", median(values), "ms"),
    ]
    if median(took) >= 1:  # a shell command, not a file write
        rows.append(Row(f"{label} command wall time, median", median(took), "ms"))
    return rows


def run(ctx: BenchContext) -> list[Row]:
    count = ctx.reps(30, 10)
    with PtyApp(ctx.app_cmd(), ctx.env) as app:
        app.wait_for(upper_marker(ctx.current_phase()))
        time.sleep(SETTLE_S)
        by_file = latencies_ms(ctx, app, write_file, count)
        by_shell = latencies_ms(ctx, app, shell_set, count)
    return rows_for("file", *by_file) + rows_for("`phase set`", *by_shell)
