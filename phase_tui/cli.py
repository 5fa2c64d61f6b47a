"""The `phase-os` command: opens the app, and drives a studio from the shell.

With a running app, commands go through its control socket (so the pane reacts at once);
with none, they work on the studio's files directly. Output is aligned for a terminal and
`--json` gives machine-readable output where a script would want it.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from phase_tui import control
from phase_tui.config import ConfigError, default_config_text, load_config
from phase_tui.context import StudioContext
from phase_tui.events import PayloadFinished
from phase_tui.session.studio import find_studio, init_studio


class State:
    """The group's options, and the studio opened lazily by the first command needing it."""

    def __init__(self, studio: Path | None) -> None:
        self.studio_path = studio
        self._context: StudioContext | None = None

    def context(self) -> StudioContext:
        if self._context is None:
            try:
                self._context = StudioContext.open(
                    self.studio_path, on_problem=lambda m: click.secho(m, fg="yellow", err=True)
                )
            except ConfigError as error:
                raise click.ClickException(str(error)) from error
        return self._context

    def send(self, cmd: str, **args: Any) -> Any:
        """Send to the running app; raises ConnectionError when none runs."""
        try:
            return control.send(self.context().studio.internal, cmd, **args)
        except control.CommandError as error:
            raise click.ClickException(str(error)) from error


pass_state = click.make_pass_decorator(State)


def rgb(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` as the (r, g, b) that click.style takes."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--studio",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Studio folder (default: $PHASE_OS_STUDIO, the current folder or a parent, "
    "else the default studio in the user data folder).",
)
@click.version_option(package_name="phase-os")
@click.pass_context
def cli(ctx: click.Context, studio: Path | None) -> None:
    """Phase OS: the studio companion. With no command, opens the app."""
    ctx.obj = State(studio)
    if ctx.invoked_subcommand is None:
        from phase_tui.app import run_app

        context = ctx.obj.context()
        sys.exit(run_app(context))


# ------------------------------------------------------------------ studio
@cli.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def init(path: Path | None) -> None:
    """Create a studio at PATH (default: the current folder)."""
    studio = init_studio(path or Path.cwd())
    click.echo(f"Studio ready at {studio.root}")
    click.echo(f"Settings: {studio.config_path}")


@cli.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def demo(path: Path | None) -> None:
    """Create a demo studio full of synthesized audio at PATH (default: ./demo-studio)."""
    from phase_tui.demo import create_demo_studio

    target = (path or Path.cwd() / "demo-studio").resolve()
    written = create_demo_studio(target, progress=lambda m: click.echo(f"  {m}"))
    click.echo(f"Demo studio at {target}: {len(written)} new files")


@cli.group(invoke_without_command=True)
@click.pass_context
def config(ctx: click.Context) -> None:
    """Show where the settings file is (`config check` validates it)."""
    if ctx.invoked_subcommand is None:
        state: State = ctx.obj
        click.echo(find_studio(state.studio_path).config_path)


@config.command("check")
@pass_state
def config_check(state: State) -> None:
    """Validate phase_os.toml; exit 1 on errors."""
    studio = find_studio(state.studio_path)
    try:
        loaded = load_config(studio.config_path)
    except ConfigError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(1)
    click.echo(
        f"{studio.config_path}: ok ({len(loaded.phases)} phases: {', '.join(loaded.phase_names)})"
    )


@config.command("default")
def config_default() -> None:
    """Print the default, commented phase_os.toml."""
    click.echo(default_config_text(), nl=False)


# ------------------------------------------------------------------ phases
@cli.group(invoke_without_command=True)
@click.pass_context
def phase(ctx: click.Context) -> None:
    """Print the current phase (`phase set NAME` changes it)."""
    if ctx.invoked_subcommand is None:
        state: State = ctx.obj
        context = state.context()
        try:
            click.echo(state.send("phase.get"))
        except ConnectionError:
            from phase_tui.phase.phase_file import read_phase_file

            click.echo(read_phase_file(context.studio.phase_file) or context.config.default_phase)


@phase.command("set")
@click.argument("name")
@pass_state
def phase_set(state: State, name: str) -> None:
    """Switch to phase NAME (in the running app, or on the files)."""
    try:
        result = state.send("phase.set", name=name)
        click.echo(f"phase: {result}")
        return
    except ConnectionError:
        pass
    _switch_offline(state.context(), name)


def _switch_offline(context: StudioContext, name: str) -> None:
    """No app runs: switch on the files, run the payloads here and report them."""
    from phase_tui.phase.payloads import PayloadRunner
    from phase_tui.phase.switcher import PhaseSwitcher, UnknownPhase

    results: list[PayloadFinished] = []
    runner = PayloadRunner(results.append)
    session = context.session()["name"]
    switcher = PhaseSwitcher(
        context.studio,
        context.config,
        context.store,
        session=lambda: session,
        emit=lambda e: None,
        payloads=runner,
    )
    try:
        change = switcher.switch(name, by="shell")
    except UnknownPhase as error:
        raise click.ClickException(str(error)) from error
    runner.shutdown(wait=True)
    context.refresh_status(app_running=False)
    click.echo(f"phase: {switcher.current}" + ("" if change else " (unchanged)"))
    for result in results:
        click.secho(result.summary(), fg=None if result.ok else "red", err=not result.ok)


@phase.command("list")
@pass_state
def phase_list(state: State) -> None:
    """List the configured phases with their keys and colours."""
    cfg = state.context().config
    for item in cfg.phases:
        click.echo(
            f"{item.key:>3}  {click.style(item.name.ljust(10), fg=rgb(item.colour))}  "
            f"{item.description}"
        )


@cli.command()
@click.argument("text", nargs=-1, required=True)
@pass_state
def notify(state: State, text: tuple[str, ...]) -> None:
    """Show TEXT as a notification in the running app (and note it in the journal)."""
    message = " ".join(text)
    try:
        state.send("notify", text=message)
    except ConnectionError:
        from phase_tui.activity import log_event
        from phase_tui.phase.phase_file import read_phase_file

        context = state.context()
        log_event(
            context.store,
            "notify",
            session=context.session()["name"],
            phase=read_phase_file(context.studio.phase_file),
            text=message,
        )
        click.echo("no app is running: noted in the journal")


# ------------------------------------------------------------------ status and stats
@cli.command()
@click.option(
    "--format",
    "template",
    default=None,
    help="Template with {phase} {session} {in_phase} {today} {phase_today} "
    "{bounces_today} {running}.",
)
@pass_state
def status(state: State, template: str | None) -> None:
    """One line for a tmux status bar."""
    from phase_tui.session.status import compute_status
    from phase_tui.session.statusline import DEFAULT_FORMAT, render_status

    context = state.context()
    running = control.app_is_running(context.studio.internal)
    fields = compute_status(context.studio, context.config, context.store, app_running=running)
    try:
        click.echo(render_status(fields, template or DEFAULT_FORMAT))
    except ValueError as error:
        raise click.ClickException(str(error)) from error


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def stats(state: State, as_json: bool) -> None:
    """Time spent per phase today and this week."""
    from phase_tui.phase.telemetry import (
        day_bounds,
        format_duration,
        phase_spans,
        time_per_phase,
        week_bounds,
    )

    context = state.context()
    now = time.time()
    running = control.app_is_running(context.studio.internal)
    spans = phase_spans(
        context.store.all("events"),
        now,
        frozenset({context.store.machine}) if running else frozenset(),
    )
    today = time_per_phase(spans, *day_bounds(now))
    week = time_per_phase(spans, *week_bounds(now, context.config.week_starts_on))
    names = context.config.phase_names
    if as_json:
        click.echo(
            json.dumps(
                {
                    "today": {n: round(today.get(n, 0.0)) for n in names},
                    "week": {n: round(week.get(n, 0.0)) for n in names},
                }
            )
        )
        return
    click.echo(f"{'phase':<12}{'today':>10}{'this week':>12}")
    for name in names:
        colour = context.config.phase(name).colour
        click.echo(
            f"{click.style(name.ljust(12), fg=rgb(colour))}"
            f"{format_duration(today.get(name, 0.0)):>10}"
            f"{format_duration(week.get(name, 0.0)):>12}"
        )
    click.echo(
        f"{'total':<12}{format_duration(sum(today.values())):>10}"
        f"{format_duration(sum(week.values())):>12}"
    )


# ------------------------------------------------------------------ bounces
SAMPLE_DEPTHS = {
    "PCM_S8": "8-bit", "PCM_U8": "8-bit", "PCM_16": "16-bit", "PCM_24": "24-bit",
    "PCM_32": "32-bit", "FLOAT": "float", "DOUBLE": "double",
}  # fmt: skip
BOUNCE_COLUMNS = ("name", "version", "length", "rate", "ch", "format", "peak", "rms", "lufs")


@cli.command()
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
    groups = _group_by_track(records)
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


def _group_by_track(records: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(track, versions newest first), the track with the newest version first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(str(record.get("track") or record["name"]), []).append(record)
    for rows in groups.values():
        rows.sort(key=lambda r: (r.get("mtime") or 0.0, r["created_at"]), reverse=True)
    return sorted(
        groups.items(), key=lambda item: (item[1][0].get("mtime") or 0.0, item[0]), reverse=True
    )


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


@cli.command()
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
    counts = {key: int(found.get(key, 0)) for key in ("new", "changed")}
    click.echo(
        _scan_summary(
            int(found.get("seen", 0)),
            counts["new"],
            counts["changed"],
            int(found.get("vanished", 0)),
            int(found.get("unchanged", 0)),
        )
        + ("; the app analyses them now" if sum(counts.values()) else "")
    )


def _scan_summary(seen: int, new: int, changed: int, vanished: int, unchanged: int) -> str:
    return f"{seen} files: {new} new, {changed} changed, {vanished} missing, {unchanged} unchanged"


def _scan_offline(context: StudioContext) -> None:
    """No app runs: catch up, hash and measure here, journal the new bounces like the app.

    C libraries (libmpg123 on a damaged MP3) print to fd 2: that goes to the studio log
    while the scan runs, and the progress bars are drawn on the terminal kept aside.
    """
    from phase_tui.events import BouncesChanged, Notice
    from phase_tui.logs import StderrToLog, setup_logging
    from phase_tui.loop.catalogue import UNREADABLE
    from phase_tui.loop.compiler import walk_candidates
    from phase_tui.loop.logger import BounceLogger
    from phase_tui.phase.phase_file import read_phase_file

    studio, config = context.studio, context.config
    bounce_context = {
        "session": context.session()["name"],
        "phase": read_phase_file(studio.phase_file) or config.default_phase,
        "form": None,
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
    unreadable = [r for r in records if r is not None and r.get("status") == UNREADABLE]
    analysed = sum(r is None or bool(r.get("analysed")) for r in records)  # None: moved
    for text in notices:
        click.echo(text)
    for record in unreadable[:UNREADABLE_SHOWN]:
        click.echo(f"unreadable: {record['path']}: {record.get('reason')}")
    if len(unreadable) > UNREADABLE_SHOWN:
        click.echo(f"... and {len(unreadable) - UNREADABLE_SHOWN} more (phase-os bounces)")
    vanished = len(report.vanished)
    click.echo(
        _scan_summary(report.seen, len(report.new), len(report.changed), vanished, report.unchanged)
        + f"; {analysed} analysed ({len(unreadable)} unreadable)"
    )
    context.refresh_status(app_running=False)


UNREADABLE_SHOWN = 10


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


# ------------------------------------------------------------------ sessions
@cli.group(invoke_without_command=True)
@click.pass_context
def session(ctx: click.Context) -> None:
    """Print the current session (`session new` starts one)."""
    if ctx.invoked_subcommand is None:
        current = ctx.obj.context().session()
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(current["started_at"]))
        click.echo(f"{click.style(current['name'], fg=rgb(current['colour']))}  since {started}")


@session.command("new")
@pass_state
def session_new(state: State) -> None:
    """Start a new session now."""
    try:
        click.echo(f"session: {state.send('session.new')}")
        return
    except ConnectionError:
        pass
    from phase_tui.phase.phase_file import read_phase_file
    from phase_tui.session.sessions import start_session

    context = state.context()
    made = start_session(
        context.store, reason="shell", phase=read_phase_file(context.studio.phase_file)
    )
    context.refresh_status(app_running=False)
    click.echo(f"session: {made['name']}")


@cli.command()
@click.option("-n", "count", default=20, show_default=True, help="How many events.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def log(state: State, count: int, as_json: bool) -> None:
    """The latest events of the activity journal."""
    from phase_tui.activity import EVENTS, describe

    events = list(reversed(state.context().store.latest(EVENTS, count)))
    if as_json:
        click.echo(json.dumps(events, ensure_ascii=False))
        return
    for event in events:
        when = time.strftime("%a %H:%M", time.localtime(event["at"]))
        click.echo(f"{when}  {str(event.get('session') or '-'):<22} {describe(event)}")


@cli.command()
def keys() -> None:
    """List the app's key bindings and their ids (for [keys] in phase_os.toml)."""
    from phase_tui.app import describe_bindings

    for binding_id, key, description in describe_bindings():
        click.echo(f"{binding_id:<16}{key:<16}{description}")


def main(argv: list[str] | None = None) -> None:
    """Console entry point (after the fast path in `phase_tui.entry`)."""
    cli.main(args=argv, prog_name="phase-os")
