"""Similar-sample suggestions: `suggest` on a 100,000-sample feature matrix, and loading it."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

from bench.common import BenchContext, Row
from phase_tui.oracle.features import FEATURE_NAMES
from phase_tui.oracle.suggest import FeatureMatrix, suggest

NAME = "oracle_suggest"
ROWS = 100_000
QUERIES = 50
COUNT = 10
TARGET_MS = 100.0
NOTE = (
    f"In-process: a FeatureMatrix of {ROWS:,} samples x {len(FEATURE_NAMES)} features "
    "(random normal float32, seed 7), one query warms the cached standardisation, then "
    f"`suggest(count={COUNT})` for {QUERIES} random ids ({QUERIES // 5} with --quick), "
    "every tenth a tagged sample queried with tags (a seventh of the library shares its "
    "tags); the median is reported. "
    "The matrix is then saved as .npz and `FeatureMatrix.load` timed (best of 3, page "
    "cache warm)."
)


def run(ctx: BenchContext) -> list[Row]:
    rng = np.random.default_rng(7)
    ids = [f"sample-{index:06d}" for index in range(ROWS)]
    matrix = FeatureMatrix(ids, rng.normal(size=(ROWS, len(FEATURE_NAMES))))
    tags = {sample_id: {"dark", "techno"} for sample_id in ids[::7]}
    suggest(matrix, ids[0])
    times_ms = []
    for turn, index in enumerate(rng.integers(0, ROWS, ctx.reps(QUERIES, QUERIES // 5))):
        tagged = turn % 10 == 0  # a tagged sample, so its tags are compared
        sample_id = ids[index - index % 7] if tagged else ids[index]
        started = time.perf_counter()
        suggest(matrix, sample_id, COUNT, tags=tags if tagged else None)
        times_ms.append(1000 * (time.perf_counter() - started))
    median_ms = statistics.median(times_ms)
    path = ctx.root / "oracle_features.npz"
    matrix.save(path)
    load_ms = min(_time_load(path) for _ in range(3))
    path.unlink()
    what = f"{ROWS:,} x {len(FEATURE_NAMES)}"
    return [
        Row(
            f"suggest {COUNT} similar samples among {what} (median of {len(times_ms)})",
            median_ms,
            "ms",
            target=f"<= {TARGET_MS:.0f} ms",
            passed=median_ms <= TARGET_MS,
        ),
        Row(f"FeatureMatrix.load of the saved {what} .npz", load_ms, "ms"),
    ]


def _time_load(path: Path) -> float:
    started = time.perf_counter()
    FeatureMatrix.load(path)
    return 1000 * (time.perf_counter() - started)
