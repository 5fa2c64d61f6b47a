"""The `phase-os` command: opens the app, and drives a studio from the shell.

With a running app, commands go through its control socket (so the pane reacts at once);
with none, they work on the studio's files directly. Output is aligned for a terminal and
`--json` gives machine-readable output where a script would want it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from phase_tui import control
from phase_tui.cli_archive import archive, export
from phase_tui.cli_bounces import bounces, scan
from phase_tui.cli_daemon import daemon, doctor
from phase_tui.cli_digest import digest
from phase_tui.cli_form import form
from phase_tui.cli_memo import memo
from phase_tui.cli_oracle import crate, sample
from phase_tui.cli_oracle_edit import remix, slice_file
from phase_tui.cli_serve import serve
from phase_tui.cli_state import State, pass_state
from phase_tui.cli_tags import find, tag
from phase_tui.cli_visual import art, wave
from phase_tui.config import ConfigError, default_config_text, load_config
from phase_tui.context import StudioContext
from phase_tui.events import PayloadFinished
from phase_tui.session.studio import find_studio, init_studio


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
    switch_offline(state.context(), name)


def switch_offline(context: StudioContext, name: str, by: str = "shell") -> None:
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
        change = switcher.switch(name, by=by)
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
cli.add_command(bounces)
cli.add_command(scan)
cli.add_command(wave)
cli.add_command(art)
cli.add_command(form)
cli.add_command(memo)
cli.add_command(digest)
cli.add_command(tag)
cli.add_command(find)
cli.add_command(crate)
cli.add_command(sample)
cli.add_command(slice_file)
cli.add_command(remix)
cli.add_command(daemon)
cli.add_command(doctor)
cli.add_command(serve)
cli.add_command(export)
cli.add_command(archive)


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
    from phase_tui.app_screens import describe_bindings

    for binding_id, key, description in describe_bindings():
        click.echo(f"{binding_id:<16}{key:<16}{description}")


def main(argv: list[str] | None = None) -> None:
    """Console entry point (after the fast path in `phase_tui.entry`)."""
    cli.main(args=argv, prog_name="phase-os")
