"""Redraw of the waveform widget from cached peaks at 200 columns: frame time.

Runs in this process: the peaks of 10 minutes of stereo 44.1 kHz (synthetic, fed to a
`PeaksBuilder` as a file's blocks would be) are drawn by a `Waveform` of 200 x 30 cells
in a Textual app under `run_test`; each frame changes the view (zoom in and out around the
cursor, scroll, move) and then asks the widget for all its lines, which makes it read the
columns from the pyramid, draw the braille and build its strips: the whole of its part of
a repaint (Textual's compositor then writes the changed lines).
"""

from __future__ import annotations

import asyncio
import statistics
import time

import numpy as np
from textual.app import App, ComposeResult

from bench.common import BenchContext, Row

NAME = "waveform"
NOTE = (
    "In this process: the peaks of 10 min of stereo 44.1 kHz (a synthetic signal fed to a "
    "`PeaksBuilder` block by block, as a file's would be) drawn by a `Waveform` of 200 x 30 "
    "cells in a Textual app under `run_test`. Each frame changes the view (zoom in or out "
    "around the cursor, scroll half a screen, move the cursor; 400 frames, 100 with --quick) "
    "and then asks the widget for every line: it reads 400 columns from the pyramid, draws "
    "the braille and builds its strips, all of its part of a repaint. Median and p95 of the "
    "frame times."
)
TARGET_MS = 5.0
WIDTH, HEIGHT = 200, 30
RATE_HZ, MINUTES = 44100, 10


def synthetic_peaks() -> object:
    from phase_tui.audio.peaks import PeaksBuilder

    frames = RATE_HZ * 60 * MINUTES
    builder = PeaksBuilder(RATE_HZ, 2, frames)
    rng = np.random.default_rng(9)
    block = 1 << 16
    for start in range(0, frames, block):
        n = min(block, frames - start)
        t = (start + np.arange(n)) / RATE_HZ
        envelope = 0.2 + 0.7 * (np.sin(2 * np.pi * t / 47.0) > 0)
        mono = envelope * np.sin(2 * np.pi * 110 * t) + 0.02 * rng.standard_normal(n)
        builder.feed(np.column_stack([mono, 0.8 * mono]).astype(np.float32))
    return builder.finish()


async def frame_times(frames: int) -> list[float]:
    from widgets.waveform import Waveform

    class Bench(App[None]):
        CSS = "Waveform { height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield Waveform()

    app = Bench()
    times: list[float] = []
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        wave = app.query_one(Waveform)
        wave.show(synthetic_peaks())  # type: ignore[arg-type]
        await pilot.pause()
        assert tuple(wave.size) == (WIDTH, HEIGHT), wave.size
        steps = [
            lambda: wave.action_zoom(0.5),
            lambda: wave.action_scroll(0.5),
            lambda: wave.action_move(3),
            lambda: wave.action_zoom(2),
        ]
        for frame in range(frames):
            steps[frame % len(steps)]()
            if frame % 40 == 0:
                wave.action_zoom(0.25 if frame % 80 else 4)  # visit every depth
            started = time.perf_counter()
            for y in range(HEIGHT):
                wave.render_line(y)
            times.append(time.perf_counter() - started)
    return times


def run(ctx: BenchContext) -> list[Row]:
    times = asyncio.run(frame_times(ctx.reps(400, 100)))
    median_ms = statistics.median(times) * 1000
    p95_ms = statistics.quantiles(times, n=20)[-1] * 1000
    return [
        Row(
            f"waveform redraw from cached peaks, {WIDTH} columns, median",
            median_ms,
            "ms",
            target=f"<= {TARGET_MS:g} ms",
            passed=median_ms <= TARGET_MS,
        ),
        Row(f"waveform redraw from cached peaks, {WIDTH} columns, p95", p95_ms, "ms"),
    ]
