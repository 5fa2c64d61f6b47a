"""`phase-os export` and `phase-os archive`: zip snapshots of the studio from the shell.

`export` writes one archive in `archives/` (a progress bar on a terminal); `archive ls`
lists them, `archive diff` says what changed between two, `archive restore` extracts one,
whole or some files, into a new folder. An archive is named by its file name in
`archives/` (with or without `.zip`) or by a path.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

import click

from phase_tui.archive.export import ArchiveResult, export_archive
from phase_tui.archive.restore import restore
from phase_tui.archive.snapshots import diff_archives, format_bytes, list_archives
from phase_tui.cli_state import State, pass_state
from phase_tui.session.sessions import latest_session


@click.command("export")
@click.option("--minimal", is_flag=True, help="Only the scaffold: settings, forms, notes, Store.")
@click.option("--json", "as_json", is_flag=True, help="path, files, bytes, size, seconds.")
@pass_state
def export(state: State, minimal: bool, as_json: bool) -> None:
    """Write a zip snapshot of the studio in archives/ (never the archives, caches, trash)."""
    context = state.context()
    session = latest_session(context.store)
    with contextlib.ExitStack() as stack:
        progress = None
        if sys.stdout.isatty() and not as_json:
            bar = stack.enter_context(click.progressbar(length=1, label="exporting"))

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

        try:
            result = export_archive(
                context.studio.root,
                context.studio.folder("archives"),
                session=str(session["name"]) if session else "studio",
                at=time.time(),
                minimal=minimal,
                progress=progress,
            )
        except OSError as error:
            raise click.ClickException(f"export failed: {error}") from error
    size = result.path.stat().st_size
    if as_json:
        click.echo(json.dumps(_result_json(result, size, minimal), ensure_ascii=False))
        return
    click.echo(
        f"{context.studio.relative(result.path)} ({format_bytes(size)}): {result.files} files, "
        f"{format_bytes(result.bytes)}, {result.seconds:.1f} s"
    )


def _result_json(result: ArchiveResult, size: int, minimal: bool) -> dict[str, object]:
    return {
        "path": str(result.path),
        "files": result.files,
        "bytes": result.bytes,
        "archive_bytes": size,
        "seconds": result.seconds,
        "minimal": minimal,
    }


@click.group()
def archive() -> None:
    """The studio's zip snapshots in archives/: list, compare, restore."""


@archive.command("ls")
@click.option("--json", "as_json", is_flag=True, help="name, path, at, session, files, bytes.")
@pass_state
def archive_ls(state: State, as_json: bool) -> None:
    """Every archive, newest first: when, session, full or minimal, files, size."""
    found = list_archives(state.context().studio.folder("archives"))
    if as_json:
        rows = [{**vars(info), "path": str(info.path)} for info in found]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not found:
        click.echo("no archives yet (`phase-os export` writes one)")
        return
    width = max(len(info.name) for info in found)
    for info in found:
        if info.problem is not None:
            click.echo(f"{info.name:<{width}}  damaged: {info.problem}")
            continue
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.at or 0))
        kind = "minimal" if info.minimal else "full"
        click.echo(
            f"{info.name:<{width}}  {when}  {kind:<7}  {info.files:>6} files  "
            f"{format_bytes(info.bytes):>9}  {info.session}"
        )


@archive.command("diff")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="files added, removed, changed; new records.")
@pass_state
def archive_diff(state: State, a: str, b: str, as_json: bool) -> None:
    """What changed from archive A to archive B: files by kind, new Store records."""
    first, second = _archive_path(state, a), _archive_path(state, b)
    try:
        diff = diff_archives(first, second)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(diff.to_json(), ensure_ascii=False))
        return
    for line in diff.lines():
        click.echo(line)


@archive.command("restore")
@click.argument("name", metavar="ARCHIVE")
@click.argument("target", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1)
@pass_state
def archive_restore(state: State, name: str, target: Path, files: tuple[str, ...]) -> None:
    """Extract ARCHIVE (or only FILE..., files or folders in it) into TARGET, a new or
    empty folder; every file is checked against the archive's manifest."""
    path = _archive_path(state, name)
    studio = state.context().studio
    if target.resolve() == studio.root:
        raise click.ClickException("restore into a new folder, never over the live studio")
    try:
        written = restore(path, target, files or None)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"restore failed: {error}") from error
    click.echo(f"restored {len(written)} files from {path.name} into {target}")


def _archive_path(state: State, name: str) -> Path:
    """An archive by its name in archives/ (`.zip` optional) or by its path."""
    folder = state.context().studio.folder("archives")
    for candidate in (folder / name, folder / f"{name}.zip", Path(name).expanduser()):
        if candidate.is_file():
            return candidate
    raise click.ClickException(f"no archive {name!r} in {folder} or at that path")
