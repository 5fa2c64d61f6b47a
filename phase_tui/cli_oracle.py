"""`phase-os crate` and `phase-os sample`: crate sources and the sample library, from the shell.

The commands work on the Store directly (its lock makes that safe beside the app, which
re-reads the library). `crate scan` runs the crate miner here and records the scan.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from phase_tui.cli_state import State, pass_state
from phase_tui.oracle.crates import Source, add_crate, crate_sources
from phase_tui.oracle.library import MISSING, ImportReport, SampleLibrary
from phase_tui.oracle.miner import CrateMiner, studio_library
from phase_tui.store import Record

PROGRESS_EVERY_S = 0.1


@click.group()
def crate() -> None:
    """Crates: the folders, playlists and files samples are imported from."""


@crate.command("add")
@click.argument("path", type=click.Path(exists=True, resolve_path=True, path_type=Path))
@click.option("--name", default=None, help="The crate's name (default: the file's or folder's).")
@pass_state
def crate_add(state: State, path: Path, name: str | None) -> None:
    """Add PATH (a folder, a playlist or a file) as a crate; `crate scan` imports it."""
    context = state.context()
    try:
        record = add_crate(context.store, context.studio.root, path, name)
    except (OSError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"crate {record['name']}: {record['path']}")


@crate.command("ls")
@click.option("--json", "as_json", is_flag=True, help="crate, kind, path, samples of each.")
@pass_state
def crate_ls(state: State, as_json: bool) -> None:
    """Every crate: its name, kind, path and how many samples it holds."""
    context = state.context()
    library = studio_library(context)
    sources = crate_sources(context.studio.root, context.config.oracle, context.store)
    rows = _crate_rows(sources, library)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        click.echo("no crates yet: put folders or playlists in crates/, or `phase-os crate add`")
        return
    width = max(len("crate"), *(len(row["crate"]) for row in rows))
    click.echo(f"{'crate':<{width}}  {'kind':<8}  {'samples':>7}  path")
    for row in rows:
        gone = "" if row["present"] else "  (not found)"
        click.echo(
            f"{row['crate']:<{width}}  {row['kind']:<8}  {row['samples']:>7}  {row['path']}{gone}"
        )


def _crate_rows(sources: list[Source], library: SampleLibrary) -> list[dict[str, object]]:
    """One row per crate (the loose files of `crates/` are one crate), in source order."""
    counts: dict[str, int] = {}
    for record in library.records():
        if record.get("status") != MISSING:
            counts[str(record.get("crate"))] = counts.get(str(record.get("crate")), 0) + 1
    rows: dict[str, dict[str, object]] = {}
    for source in sources:
        if source.crate in rows:
            continue
        path = source.path.parent if source.kind == "file" else source.path
        rows[source.crate] = {
            "crate": source.crate,
            "kind": source.kind,
            "path": library.location(path),
            "present": source.present,
            "samples": counts.get(source.crate, 0),
        }
    return list(rows.values())


@crate.command("scan")
@pass_state
def crate_scan(state: State) -> None:
    """Import every crate now: new and changed files are analysed, vanished ones noted."""
    miner = CrateMiner(state.context())
    live = sys.stdout.isatty()
    shown = [0.0]

    def progress(done: int, total: int, name: str) -> None:
        now = time.monotonic()
        if live and (now - shown[0] >= PROGRESS_EVERY_S or done == total):
            shown[0] = now
            click.echo(f"\r\x1b[K{done}/{total} {name}"[:200], nl=False)

    report = miner.run(progress=progress)
    if live:
        click.echo("\r\x1b[K", nl=False)
    _print_report(report)


def _print_report(report: ImportReport) -> None:
    """The counts, then each unreadable file, broken playlist line and absent source."""
    click.echo(report.summary())
    for path, reason in report.unreadable:
        click.echo(f"unreadable  {path}: {reason}")
    for playlist, line, reason in report.broken:
        click.echo(f"broken      {playlist}:{line}: {reason}")
    for path in report.absent:
        click.echo(f"not found   {path}")


@click.group()
def sample() -> None:
    """The sample library imported from the crates."""


@sample.command("find")
@click.argument("words", nargs=-1)
@click.option("--crate", "crate_name", default=None, help="Only samples of this crate.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only samples with TAG.")
@click.option("--min-s", type=float, default=None, help="At least this many seconds long.")
@click.option("--max-s", type=float, default=None, help="At most this many seconds long.")
@click.option("--json", "as_json", is_flag=True, help="The sample records.")
@pass_state
def sample_find(
    state: State,
    words: tuple[str, ...],
    crate_name: str | None,
    tags: tuple[str, ...],
    min_s: float | None,
    max_s: float | None,
    as_json: bool,
) -> None:
    """Samples with every WORD in their name or crate: name, crate, length, bpm, key, level."""
    library = studio_library(state.context())
    try:
        found = library.find(" ".join(words), crate=crate_name, tags=tags, min_s=min_s, max_s=max_s)
    except ValueError as error:  # a tag that is no tag
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        click.echo("no samples found" if library.records() else "no samples yet: `crate scan`")
        return
    header = ("name", "crate", "length", "bpm", "key", "level")
    table = [header, *(_cells(record) for record in found)]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    right = {2, 3, 5}
    for row in table:
        cells = [
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())


def _cells(record: Record) -> tuple[str, str, str, str, str, str]:
    """A sample as its row: name, crate, length, bpm, key, LUFS (else RMS)."""
    duration, bpm = record.get("duration_s"), record.get("bpm")
    if record.get("lufs") is not None:
        level = f"{record['lufs']:.1f} LUFS"
    elif record.get("rms_dbfs") is not None:
        level = f"{record['rms_dbfs']:.1f} dB RMS"
    else:
        level = str(record.get("status") or "-")
    return (
        str(record.get("name", "")),
        str(record.get("crate", "")),
        f"{duration:.2f}s" if isinstance(duration, int | float) else "-",
        f"{bpm:g}" if isinstance(bpm, int | float) else "-",
        str(record.get("key") or "-"),
        level,
    )
