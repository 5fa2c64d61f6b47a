"""Resident memory after start: Phase OS against the bare app."""

from __future__ import annotations

import time

from bench.bare_app import READY_TEXT
from bench.common import BenchContext, PtyApp, Row, median, ratio, rss_mib, upper_marker

NAME = "memory"
TARGET_RATIO = 1.5
SETTLE_S = 2.0
NOTE = (
    "VmRSS from /proc/<pid>/status 2 s after the first paint (so Phase OS's services, "
    "started after the first refresh, are loaded); median of 3 launches each (1 with --quick)."
)


def rss_after_start(ctx: BenchContext, argv: list[str], marker: bytes) -> float:
    """MiB resident once an app has painted and settled."""
    with PtyApp(argv, ctx.env) as app:
        app.wait_for(marker)
        time.sleep(SETTLE_S)
        return rss_mib(app.pid)


def run(ctx: BenchContext) -> list[Row]:
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(ctx.reps(3, 1)):
        bare.append(rss_after_start(ctx, ctx.bare_cmd(), READY_TEXT.encode()))
        ours.append(rss_after_start(ctx, ctx.app_cmd(), upper_marker(ctx.current_phase())))
    value, reference = median(ours), median(bare)
    factor = ratio(value, reference)
    return [
        Row(
            "resident memory after start",
            value,
            "MiB",
            reference,
            factor,
            f"<= {TARGET_RATIO}x",
            factor <= TARGET_RATIO,
        )
    ]
