"""The results table: aligned for the terminal, and as Markdown in `bench/RESULTS.md`."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench.common import REPO_ROOT, Row

HEADER = ("measure", "Phase OS", "reference", "ratio", "target", "pass/FAIL")


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def cells(row: Row) -> tuple[str, ...]:
    verdict = {True: "pass", False: "FAIL", None: "info"}[row.passed]
    ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
    return (
        row.name,
        fmt_value(row.value, row.unit),
        fmt_value(row.reference, row.unit),
        ratio,
        row.target,
        verdict,
    )


def text_table(rows: list[Row]) -> str:
    """The table with columns padded to line up in a terminal."""
    table = [HEADER, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """nproc, CPU, OS, Python, Textual and the commit measured."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    commit = (
        subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        or "unknown"
    )
    return (
        f"nproc {os.cpu_count()} ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {sys.version.split()[0]}, Textual {importlib.metadata.version('textual')}, "
        f"commit {commit}"
    )


def write_results(
    path: Path, rows: list[Row], notes: dict[str, str], mode: str, elapsed_s: float, where: str
) -> None:
    """RESULTS.md: the table, when, where, and how each measure was taken."""
    body = [
        "# Phase OS bench results",
        "",
        f"Written by `python -m bench{mode}` on {time.strftime('%Y-%m-%d %H:%M %Z')} "
        f"in {elapsed_s:.0f} s.",
        "",
        f"Machine: {where}.",
        "",
        markdown_table(rows),
        "",
        "## How each figure is measured",
        "",
    ]
    body += [f"- **{name}**: {note}" for name, note in notes.items()]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
