"""`phase-os digest`: write the weekly loop digests in `digests/`, and list them.

With no option every week that is over and has no digest yet is written (and mailed when
`[digest] mail` is on; failed mails are tried again); `--week DATE` writes the week holding
DATE, as a draft while it runs; `--force` rewrites a complete digest.
"""

from __future__ import annotations

import json
import time
from datetime import date

import click

from phase_tui.cli_state import State, pass_state
from phase_tui.store import Record

DATE_FORM = "YYYY-MM-DD (e.g. 2025-06-01)"


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: expected {DATE_FORM}") from None


@click.group(invoke_without_command=True)
@click.option(
    "--week",
    "day",
    metavar="DATE",
    callback=_parse_date,
    help=f"Write the week holding DATE, {DATE_FORM} (a draft while it runs).",
)
@click.option("--force", is_flag=True, help="Rewrite a digest already complete.")
@click.pass_context
def digest(ctx: click.Context, day: date | None, force: bool) -> None:
    """Write the weekly loop digests that are due (`digest ls` lists them)."""
    if ctx.invoked_subcommand is not None:
        return
    from phase_tui.loop.digest_scheduler import DIGESTS, DigestScheduler, digest_id
    from phase_tui.loop.digest_week import last_complete_week_end, local_midnight, week_end_for

    state: State = ctx.obj
    scheduler = DigestScheduler(state.context())
    now = time.time()
    if day is None and not force:
        written = scheduler.run(now)
        for record in written:
            _report(record)
        if not written:
            click.echo("every digest is written: no week is due")
        for record in scheduler.retry_unsent(now):
            _report_mail(record)
        return
    if day is None:
        week = last_complete_week_end(now, scheduler.day)
    else:
        week = week_end_for(local_midnight(day), scheduler.day)
    before = scheduler.context.store.get(DIGESTS, digest_id(week))
    if before is not None and before.get("complete") and not force:
        click.echo(f"{before['path']} is complete already (--force rewrites it)")
        return
    _report(scheduler.write(week, force=force, now=now))


@digest.command("ls")
@click.option("--json", "as_json", is_flag=True, help="Every digest record's fields.")
@pass_state
def list_digests(state: State, as_json: bool) -> None:
    """Every digest, oldest week first: week, complete or draft, mail, path."""
    from phase_tui.loop.digest_scheduler import DigestScheduler

    records = DigestScheduler(state.context()).records()
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if not records:
        click.echo("no digests yet (`phase-os digest` writes them)")
        return
    for record in records:
        status = "complete" if record.get("complete") else "draft"
        click.echo(f"{record['week']}  {status:<8}  {_mail_status(record):<24}  {record['path']}")
        error = (record.get("mail") or {}).get("error")
        if error:
            click.secho(f"            {error}", fg="yellow")


def _report(record: Record) -> None:
    kind = "" if record.get("complete") else " (draft: the week is not over)"
    click.echo(f"wrote {record['path']}{kind}")
    if record.get("mail"):
        _report_mail(record)


def _report_mail(record: Record) -> None:
    mail = record["mail"]
    if mail.get("sent_at") is not None:
        click.echo(f"  mailed {record['week']}")
    else:
        click.secho(f"  {record['week']} not mailed: {mail.get('error')}", fg="yellow", err=True)


def _mail_status(record: Record) -> str:
    mail = record.get("mail")
    if not mail:
        return "not mailed"
    if mail.get("sent_at") is not None:
        return "mailed " + time.strftime("%Y-%m-%d %H:%M", time.localtime(mail["sent_at"]))
    return f"mail failed ({mail.get('tries', 0)} tries)"
