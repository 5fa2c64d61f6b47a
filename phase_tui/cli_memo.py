"""`phase-os memo`: the memo key from the shell, transcription later, and the memo list.

`start`, `stop` and `toggle` go to the running app, which owns the microphone (bind them
to a window-manager hotkey, start on press and stop on release for push-to-talk).
`transcribe` works with or without the app: without one, here and now.
"""

from __future__ import annotations

import json
import time
from typing import Any

import click

from phase_tui.cli_state import State, pass_state
from phase_tui.formatting import format_clock

NO_APP = (
    "no Phase OS app is running in this studio: memos are recorded by the app "
    "(open `phase-os`, then press m or run this again)"
)


@click.group()
def memo() -> None:
    """Voice memos: record from the shell, transcribe, list."""


def _send_key(state: State, cmd: str) -> None:
    try:
        result = state.send(cmd)
    except ConnectionError as error:
        raise click.ClickException(NO_APP) from error
    click.echo(f"{result['name']}: {result['status']}")


@memo.command("start")
@pass_state
def start(state: State) -> None:
    """Start recording a memo in the running app (a no-op while one records)."""
    _send_key(state, "memo.start")


@memo.command("stop")
@pass_state
def stop(state: State) -> None:
    """Stop the memo recording; it is kept and transcribed."""
    _send_key(state, "memo.stop")


@memo.command("toggle")
@pass_state
def toggle(state: State) -> None:
    """Start a memo, or stop the one recording."""
    _send_key(state, "memo.toggle")


@memo.command("transcribe")
@click.argument("ref", required=False)
@click.option("--pending", is_flag=True, help="Every memo still waiting for a transcript.")
@pass_state
def transcribe(state: State, ref: str | None, pending: bool) -> None:
    """Transcribe memo REF (id, id prefix or name), or with --pending every waiting memo."""
    if bool(ref) == pending:
        raise click.UsageError("give a memo (REF) or --pending")
    context = state.context()
    memo_id = _memo_id(state, ref) if ref else None
    try:
        if memo_id is None:
            queued = state.send("memo.transcribe_pending")
            click.echo(f"{queued} memo(s) queued in the running app")
        else:
            state.send("memo.transcribe", id=memo_id)
            click.echo("queued in the running app")
        return
    except ConnectionError:
        pass
    from phase_tui.voice.service import MemoService

    session = context.session()["name"]
    service = MemoService(
        context,
        _print_report,
        session=lambda: session,
        phase=lambda: _current_phase(state),
        switch_phase=lambda name: _switch_phase(state, name),
    )
    started = time.monotonic()
    count = service.transcribe_pending() if memo_id is None else int(service.transcribe(memo_id))
    if not count:
        click.echo("no memo waits for a transcript")
        return
    click.echo(f"transcribing {count} memo(s)…")
    service.worker.join()
    service.shutdown()
    click.echo(f"done in {time.monotonic() - started:.1f} s")


@memo.command("ls")
@click.option("--json", "as_json", is_flag=True, help="Every memo's fields.")
@pass_state
def list_memos(state: State, as_json: bool) -> None:
    """Every memo, oldest first: when, length, status, tags, first words."""
    from phase_tui.voice.memos import MEMOS

    records = state.context().store.all(MEMOS)
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if not records:
        click.echo("no memos yet")
        return
    for record in records:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(record["started_at"])))
        tags = " ".join(f"#{tag}" for tag in record.get("tags", []))
        words = str(record.get("text") or record.get("error") or "")[:60]
        click.echo(
            f"{record['id'][-8:]}  {when}  {format_clock(record.get('duration_s')):>6}  "
            f"{record.get('status', '?'):<12}  {tags:<20}  {words}"
        )


@memo.command("show")
@click.argument("ref")
@pass_state
def show(state: State, ref: str) -> None:
    """A memo's transcript (Markdown, with timestamps) and what its words did."""
    from phase_tui.voice.memos import MEMOS, transcript_markdown

    record = state.context().store.get(MEMOS, _memo_id(state, ref)) or {}
    click.echo(transcript_markdown(record), nl=False)
    for line in record.get("actions", []):
        click.echo(f"→ {line}")
    if record.get("error"):
        click.secho(str(record["error"]), fg="yellow")


def _memo_id(state: State, ref: str) -> str:
    from phase_tui.voice.memos import find_memo

    found = find_memo(state.context().store, ref)
    if found is None:
        raise click.ClickException(f"no memo {ref!r} (see `phase-os memo ls`)")
    return str(found["id"])


def _print_report(event: Any) -> None:
    """What the service reports while transcribing here: problems and what words did."""
    from phase_tui.events import MemoChanged, Notice

    if isinstance(event, Notice):
        click.secho(event.text, fg="yellow" if event.severity != "information" else None, err=True)
    elif isinstance(event, MemoChanged) and event.what == "transcribed":
        click.echo(f"{event.record['name']}: {event.record.get('text', '')}")
        for line in event.done:
            click.echo(f"  → {line}")


def _current_phase(state: State) -> str:
    from phase_tui.phase.phase_file import read_phase_file

    context = state.context()
    return read_phase_file(context.studio.phase_file) or context.config.default_phase


def _switch_phase(state: State, name: str) -> None:
    from phase_tui.cli import switch_offline

    switch_offline(state.context(), name, by="voice")
