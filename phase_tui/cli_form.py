"""`phase-os form`: generate, list, show, diff and activate form map versions from the shell.

A new map is saved as a version of its track and becomes the active map (bounces logged
now link to it). Versions are named by id, by a prefix of their hash, or `TRACK@N` /
`TRACK@latest`. `--json` gives the maps and diffs for scripts.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from phase_tui.cli_state import State, pass_state

if TYPE_CHECKING:
    from phase_tui.builder.versions import FormVersion, FormVersions


@click.group()
def form() -> None:
    """Form maps: arrangement blueprints of a track, versioned."""


@form.command("new")
@click.argument("track", default="untitled")
@click.option("--seed", type=int, default=None, help="The same seed gives the same map.")
@click.option("--template", default=None, help="A template (default: [builder] template).")
@click.option("--json", "as_json", is_flag=True, help="The map as JSON.")
@pass_state
def new(state: State, track: str, seed: int | None, template: str | None, as_json: bool) -> None:
    """Generate a form map for TRACK, save it as a version and make it the active map."""
    from phase_tui.builder.generator import generate
    from phase_tui.builder.versions import FormVersions
    from phase_tui.phase.phase_file import read_phase_file

    context = state.context()
    try:
        made = generate(context.config.builder, track, seed=seed, template=template)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    versions = FormVersions(context.store, context.studio.root)
    phase = read_phase_file(context.studio.phase_file) or context.config.default_phase
    session = context.session()["name"]
    version, _created = versions.save(made, session=session, phase=phase, now=time.time())
    versions.activate(version.id)
    _print_version(version, as_json)


@form.command("list")
@click.argument("track", required=False)
@click.option("--json", "as_json", is_flag=True, help="Every version's fields.")
@pass_state
def list_versions(state: State, track: str | None, as_json: bool) -> None:
    """The versions of every track (or of TRACK), oldest first; * marks the active map."""
    versions = _versions(state)
    active = versions.active()
    rows = [v for name in ([track] if track else versions.tracks()) for v in versions.history(name)]
    if as_json:
        click.echo(json.dumps([_version_json(v) for v in rows], indent=2))
        return
    if not rows:
        click.echo("no form maps yet: phase-os form new TRACK")
        return
    numbers: dict[str, int] = {}
    for version in rows:
        numbers[version.track] = numbers.get(version.track, 0) + 1
        mark = "*" if active and active.id == version.id else " "
        saved = time.strftime("%Y-%m-%d %H:%M", time.localtime(version.saved_at))
        click.echo(
            f"{mark} {version.track}@{numbers[version.track]:<3} {version.content_hash[:8]}  "
            f"{saved}  {len(version.form.sections)} parts  {version.form.tempo_bpm:g} bpm  "
            f"{version.form.key}"
        )


@form.command("show")
@click.argument("ref", default="")
@click.option("--json", "as_json", is_flag=True, help="The map as JSON.")
@pass_state
def show(state: State, ref: str, as_json: bool) -> None:
    """A version's map (default: the active one)."""
    versions = _versions(state)
    version = versions.get(ref) if ref else versions.active()
    if version is None:
        raise click.ClickException(f"no form map version {ref!r}" if ref else "no active form map")
    _print_version(version, as_json)


@form.command("diff")
@click.argument("old_ref")
@click.argument("new_ref", required=False)
@click.option("--since-session", is_flag=True, help="OLD_REF is a track: since the session began.")
@click.option("--json", "as_json", is_flag=True, help="The changes as JSON.")
@pass_state
def diff(
    state: State, old_ref: str, new_ref: str | None, since_session: bool, as_json: bool
) -> None:
    """What changed from OLD_REF to NEW_REF (default: the track's latest version)."""
    from phase_tui.builder.diff import diff_forms, diff_text

    versions = _versions(state)
    if since_session:
        before, after = versions.since_session(old_ref, state.context().session()["name"])
        if after is None:
            raise click.ClickException(f"no form maps of {old_ref!r}")
        old, new = before or after, after
    else:
        old = _resolved(versions, old_ref)
        new = _resolved(versions, new_ref or f"{old.track}@latest")
    changes = diff_forms(old.form, new.form)
    if as_json:
        payload = {
            "old": old.id,
            "new": new.id,
            "sections": [asdict(change) for change in changes.sections],
            "tempo": changes.tempo,
            "key": changes.key,
            "time_signature": changes.time_signature,
            "length_delta_s": changes.length_delta_s,
            "bars_delta": changes.bars_delta,
        }
        click.echo(json.dumps(payload, indent=2, default=str))
        return
    click.echo(diff_text(changes, width=shutil.get_terminal_size((100, 24)).columns))


@form.command("activate")
@click.argument("ref")
@pass_state
def activate(state: State, ref: str) -> None:
    """Make a version the active map: bounces logged from now on link to it."""
    versions = _versions(state)
    version = _resolved(versions, ref)
    versions.activate(version.id)
    click.echo(f"active: {version.track} {version.content_hash[:8]}")


def _versions(state: State) -> FormVersions:
    from phase_tui.builder.versions import FormVersions

    context = state.context()
    return FormVersions(context.store, context.studio.root)


def _resolved(versions: FormVersions, ref: str) -> FormVersion:
    version = versions.get(ref)
    if version is None:
        raise click.ClickException(f"no form map version {ref!r} (see phase-os form list)")
    return version


def _version_json(version: FormVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "track": version.track,
        "hash": version.content_hash,
        "saved_at": version.saved_at,
        "session": version.session,
        "phase": version.phase,
        "path": version.path,
        "form": version.form.to_json(),
    }


def _print_version(version: FormVersion, as_json: bool) -> None:
    from phase_tui.builder.form_text import form_text

    if as_json:
        click.echo(json.dumps(_version_json(version), indent=2))
        return
    click.echo(form_text(version.form, shutil.get_terminal_size((80, 24)).columns))
    click.echo(f"version {version.content_hash[:8]} · {version.path}")
