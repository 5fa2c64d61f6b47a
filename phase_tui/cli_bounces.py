"""`phase-os bounces` and `phase-os scan`: the bounce catalogue from the shell."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import click

from phase_tui.cli_state import State, pass_state
from phase_tui.context import StudioContext

SAMPLE_DEPTHS = {
    "PCM_S8": "8-bit", "PCM_U8": "8-bit", "PCM_16": "16-bit", "PCM_24": "24-bit",
    "PCM_32": "32-bit", "FLOAT": "float", "DOUBLE": "double",
}  # fmt: skip
BOUNCE_COLUMNS = ("name", "version", "length", "rate", "ch", "format", "peak", "rms", "lufs")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (every field).")
@click.option("--track", metavar="NAME", default=None, help="Only the versions of this track.")
@click.option("--all", "show_all", is_flag=True, help="Include files that went missing.")
@click.option("--missing", "only_missing", is_flag=True, help="Only files that went missing.")
@pass_state
def bounces(
    state: State, as_json: bool, track: str | None, show_all: bool, only_missing: bool
) -> None:
    """The logged bounces, grouped by track, newest version first."""
    from phase_tui.loop.catalogue import BOUNCES, MISSING
    from phase_tui.loop.listing import grouped
    from phase_tui.loop.tracks import track_key

    records = state.context().store.all(BOUNCES)
    names = {r["id"]: r["name"] for r in records}
    if track is not None:
        wanted = {track_key(track), track.strip().lower()}
        records = [r for r in records if r.get("track") in wanted]
    hidden = 0
    if only_missing:
        records = [r for r in records if r.get("status") == MISSING]
    elif not show_all:
        hidden = sum(r.get("status") == MISSING for r in records)
        records = [r for r in records if r.get("status") != MISSING]
    groups = [(g.track, list(g.versions)) for g in grouped(records, "time")]
    if as_json:
        click.echo(json.dumps([r for _, rows in groups for r in rows], ensure_ascii=False))
        return
    if not groups:
        click.echo("No bounces" + (f" of {track!r}" if track else "") + " logged yet.")
    else:
        table = [[_bounce_cells(r) for r in rows] for _, rows in groups]
        widths = [
            max(len(cells[i]) for rows in table for cells in [BOUNCE_COLUMNS, *rows])
            for i in range(len(BOUNCE_COLUMNS))
        ]
        click.echo("  " + _aligned(BOUNCE_COLUMNS, widths) + "  logged            status")
        for (key, rows), cells_of in zip(groups, table, strict=True):
            count = f"{len(rows)} version" + ("s" if len(rows) != 1 else "")
            click.echo(click.style(f"{key}  ({count})", bold=True))
            for record, cells in zip(rows, cells_of, strict=True):
                logged = time.strftime("%Y-%m-%d %H:%M", time.localtime(record["created_at"]))
                status = _bounce_status(record, names)
                click.echo(f"  {_aligned(cells, widths)}  {logged}  {status}")
    if hidden:
        click.echo(f"({hidden} missing not shown: --all)")


def _bounce_cells(record: dict[str, Any]) -> tuple[str, ...]:
    """The aligned columns of one bounce (BOUNCE_COLUMNS)."""
    from phase_tui.formatting import format_clock

    def level(key: str) -> str:
        value = record.get(key)
        return "-" if value is None else f"{value:.1f}"

    rate_hz = record.get("sample_rate_hz")
    depth = SAMPLE_DEPTHS.get(str(record.get("subtype")))
    audio_format = " ".join(p for p in (record.get("format"), depth) if p)
    return (
        record["name"],
        record.get("version") or "-",
        format_clock(record.get("duration_s")),
        f"{rate_hz / 1000:g}k" if rate_hz else "-",
        str(record.get("channels") or "-"),
        audio_format or "-",
        level("peak_dbfs"),
        level("rms_dbfs"),
        level("lufs"),
    )


def _bounce_status(record: dict[str, Any], names: dict[str, str]) -> str:
    """ok, `ok (problem)`, `unreadable: reason`, `duplicate of NAME`, `missing since DATE`."""
    status = str(record.get("status") or "ok")
    if status == "unreadable":
        return f"unreadable: {record.get('reason') or 'unknown reason'}"
    if status == "duplicate":
        return f"duplicate of {names.get(record.get('duplicate_of') or '', '?')}"
    if status == "missing" and record.get("missing_since"):
        since = time.strftime("%Y-%m-%d %H:%M", time.localtime(record["missing_since"]))
        return f"missing since {since}"
    problem = record.get("problem")
    return f"{status} ({problem})" if problem else status


def _aligned(cells: tuple[str, ...], widths: list[int]) -> str:
    """Text left, numbers right, two spaces between columns."""
    numeric = {"length", "rate", "ch", "peak", "rms", "lufs"}
    return "  ".join(
        cell.rjust(width) if column in numeric else cell.ljust(width)
        for column, cell, width in zip(BOUNCE_COLUMNS, cells, widths, strict=True)
    )


@click.command()
@pass_state
def scan(state: State) -> None:
    """Catch up on the export folders now: log new bounces, analyse them, note missing ones."""
    context = state.context()
    try:
        found = state.send("bounces.scan")
    except ConnectionError:
        _scan_offline(context)
        return
    except TimeoutError as error:  # the app runs but is busy: never scan beside it
        raise click.ClickException(
            "the running app did not answer in time; it may still be scanning"
        ) from error
    counts = {key: int(found.get(key, 0)) for key in SCAN_COUNTS}
    to_analyse = counts["new"] + counts["changed"]
    click.echo(_scan_summary(counts) + ("; the app analyses them now" if to_analyse else ""))


SCAN_COUNTS = ("seen", "new", "changed", "vanished", "unchanged")  # ScanReport.counts()


def _scan_summary(counts: dict[str, int]) -> str:
    """`N files: N new, N changed, N missing, N unchanged` from `ScanReport.counts()`."""
    return (
        f"{counts['seen']} files: {counts['new']} new, {counts['changed']} changed, "
        f"{counts['vanished']} missing, {counts['unchanged']} unchanged"
    )


def _scan_offline(context: StudioContext) -> None:
    """No app runs: catch up, hash and measure here, journal the new bounces like the app.

    C libraries (libmpg123 on a damaged MP3) print to fd 2: that goes to the studio log
    while the scan runs, and the progress bars are drawn on the terminal kept aside.
    """
    from phase_tui.events import BouncesChanged, Notice
    from phase_tui.logs import StderrToLog, setup_logging
    from phase_tui.loop.bounce_fields import NOT_AUDIO
    from phase_tui.loop.compiler import walk_candidates
    from phase_tui.loop.logger import BounceLogger
    from phase_tui.phase.phase_file import read_phase_file

    studio, config = context.studio, context.config
    bounce_context = {
        "session": context.session()["name"],
        "phase": read_phase_file(studio.phase_file) or config.default_phase,
        "form": _active_form(context),
    }
    notices: list[str] = []
    analysed_counts: list[int] = []  # appended by the analysis thread, one item per batch

    def emit(event: object) -> None:
        if isinstance(event, Notice):
            notices.append(event.text)
        elif isinstance(event, BouncesChanged):
            analysed_counts.append(event.count)

    setup_logging(studio.log_path)
    logger = BounceLogger(studio.root, config, context.store, lambda: bounce_context, emit)
    with StderrToLog(studio.log_path):
        terminal = sys.__stderr__  # the terminal; fd 2 is the log now
        shown = terminal is not None and terminal.isatty()
        folders = [folder for folder in logger.folders if folder.is_dir()]
        total = sum(1 for _ in walk_candidates(folders, logger.rules)) if shown else 0
        with _progress(terminal if shown else None, "Registering", total) as advance:
            report = logger.scan(progress=advance)
        queued = [r["id"] for r in (*report.new, *report.changed)]
        analysed_counts.clear()  # drop the scan's own "vanished" change
        logger.analysis.start()
        try:
            with _progress(terminal if shown else None, "Analysing  ", len(queued)) as advance:
                done = 0
                while not logger.analysis.wait_idle(0.1):
                    done = _advance_to(advance, done, sum(analysed_counts))
                _advance_to(advance, done, len(queued))
        finally:
            logger.analysis.stop()
    records = [logger.catalogue.get(record_id) for record_id in queued]
    not_whole = [r for r in records if r is not None and r.get("status") in NOT_AUDIO]
    analysed = sum(r is None or bool(r.get("analysed")) for r in records)  # None: moved
    for text in notices:
        click.echo(text)
    for record in not_whole[:NOT_WHOLE_SHOWN]:
        click.echo(f"{record['status']}: {record['path']}: {record.get('reason')}")
    if len(not_whole) > NOT_WHOLE_SHOWN:
        click.echo(f"... and {len(not_whole) - NOT_WHOLE_SHOWN} more (phase-os bounces)")
    click.echo(
        _scan_summary(report.counts()) + f"; {analysed} analysed ({len(not_whole)} not whole audio)"
    )
    context.refresh_status(app_running=False)


NOT_WHOLE_SHOWN = 10


def _advance_to(advance: Callable[[int], None], done: int, target: int) -> int:
    if target > done:
        advance(target - done)
    return max(done, target)


@contextmanager
def _progress(stream: IO[str] | None, label: str, length: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on `stream` (None: no bar); yields the function that advances it."""
    if stream is None or length == 0:
        yield lambda steps: None
        return
    with click.progressbar(length=length, label=label, file=stream) as bar:
        yield bar.update


def _active_form(context: StudioContext) -> str | None:
    """The id of the active form map version, which bounces logged now link to."""
    from phase_tui.builder.versions import FormVersions

    active = FormVersions(context.store, context.studio.root).active()
    return active.id if active else None
