"""Idle CPU with the clock running: Phase OS (HUD clock) against the bare app (1 Hz Static)."""

from __future__ import annotations

import time

from bench.bare_app import READY_TEXT
from bench.common import BenchContext, PtyApp, Row, cpu_seconds, ratio, upper_marker

NAME = "idle"
TARGET_PCT = 0.5
SETTLE_S = 3.0
NOTE = (
    "After the first paint and a 3 s settle, utime+stime of the whole process (all threads, "
    "from /proc/<pid>/stat, 10 ms ticks) is read before and after a 30 s window (10 s with "
    "--quick) while the pty is drained; CPU % of one core = CPU seconds / wall seconds. "
    "The two apps run one after the other, never together."
)


def idle_pct(ctx: BenchContext, argv: list[str], marker: bytes) -> float:
    """Percent of one core used by an idle app over the window."""
    window_s = 10.0 if ctx.quick else 30.0
    with PtyApp(argv, ctx.env) as app:
        app.wait_for(marker)
        time.sleep(SETTLE_S)
        cpu0, wall0 = cpu_seconds(app.pid), time.perf_counter()
        time.sleep(window_s)
        cpu1, wall1 = cpu_seconds(app.pid), time.perf_counter()
    return 100 * (cpu1 - cpu0) / (wall1 - wall0)


def run(ctx: BenchContext) -> list[Row]:
    reference = idle_pct(ctx, ctx.bare_cmd(), READY_TEXT.encode())
    value = idle_pct(ctx, ctx.app_cmd(), upper_marker(ctx.current_phase()))
    return [
        Row(
            "idle CPU, clock running",
            value,
            "%",
            reference,
            ratio(value, reference),
            f"<= {TARGET_PCT} %",
            value <= TARGET_PCT,
        )
    ]
