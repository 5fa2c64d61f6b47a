"""`phase-os slice` and `phase-os remix`: cut a slice of a file, and fill remix sessions.

Neither needs the app: a slice is saved in `slices/` (faded by `[oracle] fade_ms`, edges
snapped as `[oracle] snap` says unless `--snap`) and logged in the Store, whose lock makes
that safe while the app runs; remix sessions are folders under `remix/`.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from phase_tui.cli_state import State, pass_state
from phase_tui.formatting import format_clock

if TYPE_CHECKING:
    from phase_tui.oracle.remix import RemixSessions


class TimeParam(click.ParamType):
    """A time in a file: seconds (`1.5`) or minutes and seconds (`1:02.250`)."""

    name = "time"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            return parse_time(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def parse_time(text: str) -> float:
    """Seconds from `1.5` or `m:ss.sss`; ValueError saying what is accepted."""
    minutes, colon, seconds = text.strip().rpartition(":")
    try:
        secs = float(seconds)
        mins = int(minutes) if colon else 0
    except ValueError:
        mins, secs = -1, -1.0
    if mins < 0 or secs < 0 or (colon and secs >= 60) or not math.isfinite(secs):
        raise ValueError(f"{text!r} is not a time: give seconds (1.5) or m:ss.sss (1:02.250)")
    return mins * 60 + secs


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Unreadable files, bad regions and unknown sessions as the one-line errors of the shell."""
    from phase_tui.audio.errors import UnreadableAudio

    try:
        yield
    except UnreadableAudio as error:
        raise click.ClickException(f"cannot read {error.path}: {error.reason}") from error
    except (LookupError, ValueError) as error:  # KeyError is a LookupError
        raise click.ClickException(str(error.args[0] if error.args else error)) from error


@click.command("slice")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--start", required=True, type=TimeParam(), help="Start: seconds or m:ss.sss.")
@click.option("--end", required=True, type=TimeParam(), help="End: seconds or m:ss.sss.")
@click.option(
    "--snap",
    type=click.Choice(["zero", "beat", "off"]),
    default=None,
    help="Snap the edges to zero crossings, the beat grid (needs --bpm) or not "
    "(default: [oracle] snap).",
)
@click.option("--bpm", type=click.FloatRange(min=1.0), default=None, help="Tempo of the grid.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def slice_file(
    state: State,
    file: Path,
    start: float,
    end: float,
    snap: str | None,
    bpm: float | None,
    as_json: bool,
) -> None:
    """Save FILE from --start to --end as a slice in slices/ and log it."""
    from phase_tui.audio.probe import probe
    from phase_tui.oracle.slice_log import log_slice
    from phase_tui.oracle.slicer import save_slice, snap_region
    from phase_tui.phase.phase_file import read_phase_file

    context = state.context()
    settings = context.config.oracle
    snap = snap or settings.snap
    source = file.expanduser().resolve()
    with _clear_errors():
        rate = probe(source).sample_rate_hz
        first, last = snap_region(source, start, end, snap, bpm)
        path = save_slice(source, first, last, context.studio.folder("slices"), settings.fade_ms)
    record = log_slice(
        context.store,
        path=path,
        source=source,
        source_id=_known_source(state, source)[1],
        start_s=first / rate,
        end_s=last / rate,
        session=context.session()["name"],
        phase=read_phase_file(context.studio.phase_file) or context.config.default_phase,
        tags=(),
        screenshot=None,
        at=time.time(),
    )
    if as_json:
        shown = {**record, "start_frame": first, "end_frame": last, "sample_rate_hz": rate}
        click.echo(json.dumps({**shown, "snap": snap}, ensure_ascii=False))
        return
    click.echo(context.studio.relative(path))
    click.echo(
        f"frames {first}-{last} of {source.name} ({last - first} frames, "
        f"{(last - first) / rate:.3f} s at {rate} Hz, snap {snap})"
    )


@click.group()
def remix() -> None:
    """Remix sessions: folders of copied fragments under remix/."""


def _sessions(state: State) -> RemixSessions:
    from phase_tui.oracle.remix import RemixSessions

    return RemixSessions(state.context().studio.folder("remix"))


@remix.command("ls")
@click.option("--json", "as_json", is_flag=True, help="Every session's manifest.")
@pass_state
def remix_ls(state: State, as_json: bool) -> None:
    """Every remix session, newest first: when made, fragments, their length."""
    sessions = _sessions(state)
    manifests = [sessions.manifest(name) for name in sessions.names()]
    if as_json:
        click.echo(json.dumps(manifests, indent=2, ensure_ascii=False))
        return
    if not manifests:
        click.echo("no remix sessions yet (`phase-os remix new NAME` makes one)")
        return
    for manifest in manifests:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(manifest["created_at"]))
        fragments = manifest["fragments"]
        length = sum(float(item.get("duration_s") or 0.0) for item in fragments)
        click.echo(
            f"{manifest['name']:<24}  {when}  {len(fragments):>3} fragment(s)  "
            f"{format_clock(length):>6}"
        )


@remix.command("new")
@click.argument("name")
@pass_state
def remix_new(state: State, name: str) -> None:
    """Make the remix session NAME (a folder in remix/)."""
    with _clear_errors():
        folder = _sessions(state).create(name)
    click.echo(f"remix session {name}: {state.context().studio.relative(folder)}")


@remix.command("add")
@click.argument("name")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The fragments added.")
@pass_state
def remix_add(state: State, name: str, files: tuple[Path, ...], as_json: bool) -> None:
    """Copy FILES into remix session NAME, in order (the files stay where they are)."""
    from phase_tui.audio.errors import UnreadableAudio

    sessions = _sessions(state)
    with _clear_errors():
        sessions.manifest(name)
    added, failed = [], 0
    for file in files:
        kind, source_id = _known_source(state, file)
        try:
            added.append(sessions.add(name, file, kind=kind, source_id=source_id))
        except UnreadableAudio as error:
            click.secho(f"not added: {error.path}: {error.reason}", fg="red", err=True)
            failed += 1
    if as_json:
        click.echo(json.dumps(added, indent=2, ensure_ascii=False))
    else:
        for fragment in added:
            click.echo(
                f"{name}/{fragment['file']}  {format_clock(fragment['duration_s']):>6}  "
                f"{fragment['kind']}  from {fragment['source']}"
            )
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} file(s) not added")


def _known_source(state: State, file: Path) -> tuple[str, str | None]:
    """("sample", its id) when `file` is in the sample library, ("slice", its id) when it
    is a logged slice, else ("file", None)."""
    from phase_tui.oracle.library import SAMPLES
    from phase_tui.oracle.slice_log import SLICES

    context = state.context()
    path = file.expanduser().resolve()
    wanted = {SAMPLES: context.studio.relative(path), SLICES: str(path)}
    for kind, location in wanted.items():
        for record in context.store.find(kind, lambda r, at=location: r.get("path") == at):
            return kind.removesuffix("s"), str(record["id"])
    return "file", None
