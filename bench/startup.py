"""Time to first paint: Phase OS against the bare Textual app, each under the same pty."""

from __future__ import annotations

from bench.bare_app import READY_TEXT
from bench.common import BenchContext, PtyApp, Row, median, ratio, upper_marker

NAME = "startup"
TARGET_RATIO = 1.5
NOTE = (
    "Each app is spawned on a 120x35 pseudo-terminal (TERM=xterm-256color) and its output "
    "drained on a thread; the time runs from just before the spawn to the arrival of the "
    "chunk that completes a marker drawn only in the first full frame: the HUD's phase chip "
    "in upper case (e.g. `ORACLE`) for Phase OS (`phase-os --studio S`, via the console "
    "script and the CLI, as a user starts it), the Static's text for the bare app. Runs "
    "alternate between the two apps; median of 7 runs each (3 with --quick)."
)


def first_paint_s(ctx: BenchContext, argv: list[str], marker: bytes) -> float:
    """Seconds from spawn to the first paint of one app."""
    with PtyApp(argv, ctx.env) as app:
        return app.wait_for(marker) - app.started_at


def run(ctx: BenchContext) -> list[Row]:
    phase_marker = upper_marker(ctx.current_phase())
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(ctx.reps(7, 3)):
        bare.append(first_paint_s(ctx, ctx.bare_cmd(), READY_TEXT.encode()))
        ours.append(first_paint_s(ctx, ctx.app_cmd(), phase_marker))
    value, reference = median(ours) * 1000, median(bare) * 1000
    factor = ratio(value, reference)
    return [
        Row(
            "time to first paint (median)",
            value,
            "ms",
            reference,
            factor,
            f"<= {TARGET_RATIO}x",
            factor <= TARGET_RATIO,
        )
    ]
