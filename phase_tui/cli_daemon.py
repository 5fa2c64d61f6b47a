"""`phase-os daemon` (the studio's services, headless) and `phase-os doctor` (its health)."""

from __future__ import annotations

import dataclasses
import json
import sys

import click

from phase_tui.cli_state import State, pass_state

MARKS = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "red")}


@click.command()
@click.option(
    "--install-user-service",
    is_flag=True,
    help="Write a systemd user unit (Linux) or launchd agent (macOS) that runs it, and say "
    "how to enable it.",
)
@pass_state
def daemon(state: State, install_user_service: bool) -> None:
    """Run the studio's services without the app: bounce logging, phase file and payloads,
    memo transcription, weekly digests, crate scans, the control socket."""
    context = state.context()
    if install_user_service:
        from phase_tui.user_service import UnsupportedSystem, enable_command, install

        try:
            path = install(context.studio.root)
        except UnsupportedSystem as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"User service written: {path}")
        click.echo(f"Enable and start it with: {enable_command(path)}")
        return
    from phase_tui.daemon import AlreadyServed, run_daemon

    click.echo(f"Phase OS daemon serving {context.studio.root} (log: {context.studio.log_path})")
    try:
        run_daemon(context)
    except AlreadyServed as error:
        raise click.ClickException(str(error)) from error
    finally:
        context.close()


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def doctor(state: State, as_json: bool) -> None:
    """Check the studio: config, folders, Store, socket, audio, Whisper, disk, queues.

    Exits 1 when a check fails."""
    from phase_tui.doctor import run_checks

    checks = run_checks(state.context())
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(check) for check in checks]))
    else:
        width = max(len(check.name) for check in checks)
        for check in checks:
            mark, colour = MARKS[check.status]
            click.echo(f"{click.style(mark, fg=colour)} {check.name.ljust(width)}  {check.detail}")
            if check.hint:
                click.echo(f"  {' ' * width}  {check.hint}")
    if any(check.status == "fail" for check in checks):
        sys.exit(1)
