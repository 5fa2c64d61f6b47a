"""`python -m bench` (`make bench`): run every measure, print the table, write RESULTS.md.

A measure is a module with `NAME`, `NOTE` (how it is measured) and `run(ctx) -> list[Row]`;
add one by writing the module and listing it in `MEASURES`. `--quick` takes fewer
repetitions and a shorter idle window (a smoke run); `--only NAME` runs one measure and
leaves RESULTS.md alone. A measure that raises becomes a FAIL row. Exit status 1 when
any row fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from types import ModuleType

from bench import (
    api,
    bounces,
    export,
    idle,
    memo_capture,
    memory,
    oracle_library,
    oracle_suggest,
    peaks,
    phase_latency,
    startup,
    status,
    waveform_redraw,
    whisper,
)
from bench.common import BENCH_DIR, BenchContext, Row
from bench.report import machine, text_table, write_results

MEASURES: list[ModuleType] = [
    startup,
    idle,
    memory,
    status,
    phase_latency,
    bounces,
    peaks,
    waveform_redraw,
    memo_capture,
    whisper,
    oracle_library,
    oracle_suggest,
    export,
    api,
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions, shorter idle window (smoke run)"
    )
    parser.add_argument(
        "--only",
        choices=[m.NAME for m in MEASURES],
        metavar="NAME",
        help="run one measure: " + ", ".join(m.NAME for m in MEASURES),
    )
    return parser.parse_args(argv)


def run_measure(measure: ModuleType, ctx: BenchContext) -> list[Row]:
    """The measure's rows; an error becomes one FAIL row naming it."""
    started = time.perf_counter()
    try:
        rows: list[Row] = measure.run(ctx)
    except Exception as error:  # one broken measure must not hide the others' figures
        rows = [
            Row(
                f"{measure.NAME}: error {type(error).__name__}: {error}"[:200],
                None,
                "",
                passed=False,
            )
        ]
    print(f"  {measure.NAME}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return rows


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    chosen = [m for m in MEASURES if args.only in (None, m.NAME)]
    started = time.perf_counter()
    where = machine()  # before the run: the tree may change while it runs
    print(f"Phase OS bench{' (quick)' if args.quick else ''}: {where}", file=sys.stderr)
    ctx = BenchContext(quick=args.quick)
    try:
        rows = [row for measure in chosen for row in run_measure(measure, ctx)]
    finally:
        ctx.cleanup()
    elapsed_s = time.perf_counter() - started
    print(text_table(rows))
    print(f"\n{len(rows)} rows in {elapsed_s:.0f} s", end="")
    if args.only is None:
        path = BENCH_DIR / "RESULTS.md"
        write_results(
            path,
            rows,
            {m.NAME: m.NOTE for m in chosen},
            " --quick" if args.quick else "",
            elapsed_s,
            where,
        )
        print(f"; written to {path}", end="")
    print()
    return 1 if any(row.passed is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
