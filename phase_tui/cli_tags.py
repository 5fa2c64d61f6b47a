"""`phase-os tag` and `phase-os find`: tags on every kind of item, from the shell.

An item is named `KIND:REF` (`bounce:last`, `memo:2026-11-23_2342-05`, `form:night drive@2`, see
`phase_tui.item_refs`). The commands work on the Store directly, whose lock makes
that safe while the app runs (the app re-reads the Store).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click

from phase_tui.cli_state import State, pass_state
from phase_tui.item_refs import resolve_item
from phase_tui.tags import TaggedItem, TagIndex, kind_items, normalise_tag

SORTS = ("count", "name", "recent")


@click.group()
def tag() -> None:
    """Tags on bounces, memos, form maps, sessions, samples and slices."""


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Bad items and tag names as the one-line errors of the shell."""
    try:
        yield
    except (LookupError, ValueError) as error:  # KeyError is a LookupError
        raise click.ClickException(str(error.args[0] if error.args else error)) from error


def _edit(state: State, item: str, tags: tuple[str, ...], adding: bool) -> None:
    """Add or remove tags on ITEM and print the item with its tags after."""
    store = state.context().store
    with _clear_errors():
        kind, record = resolve_item(store, item)
        index = TagIndex(store)
        edit = index.add if adding else index.remove
        after = edit(kind, str(record["id"]), tags)
    (shown,) = [found for found in kind_items(store, kind) if found.id == record["id"]]
    click.echo(f"{_kind(shown)} {shown.name}: {_hashtags(after) or '(no tags)'}")


@tag.command("add")
@click.argument("item")
@click.argument("tags", nargs=-1, required=True)
@pass_state
def tag_add(state: State, item: str, tags: tuple[str, ...]) -> None:
    """Tag ITEM (KIND:REF, e.g. bounce:last) with TAGS; print its tags after."""
    _edit(state, item, tags, adding=True)


@tag.command("rm")
@click.argument("item")
@click.argument("tags", nargs=-1, required=True)
@pass_state
def tag_rm(state: State, item: str, tags: tuple[str, ...]) -> None:
    """Take TAGS off ITEM (KIND:REF); print its tags after."""
    _edit(state, item, tags, adding=False)


@tag.command("ls")
@click.option("--sort", "order", type=click.Choice(SORTS), default="count", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Tag, count, first and last use.")
@pass_state
def tag_ls(state: State, order: str, as_json: bool) -> None:
    """Every tag in use: how many items carry it, when it was last used."""
    index = TagIndex(state.context().store)
    counts = index.counts()
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for item in index.items(()):  # newest first
        for name in item.tags:
            last.setdefault(name, item.at)
            first[name] = item.at
    keys = {
        "count": lambda name: (-counts[name], name),
        "name": lambda name: (0, name),
        "recent": lambda name: (-last[name], name),
    }
    names = sorted(counts, key=keys[order])
    if as_json:
        rows = [
            {"tag": name, "count": counts[name], "first_used": first[name], "last_used": last[name]}
            for name in names
        ]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not names:
        click.echo("no tags yet (`phase-os tag add KIND:REF TAG` adds one)")
        return
    width = max(len("tag"), *(len(name) + 1 for name in names))
    click.echo(f"{'tag':<{width}}  {'count':>5}  last used")
    for name in names:
        click.echo(f"{'#' + name:<{width}}  {counts[name]:>5}  {_date(last[name])}")


@tag.command("rename")
@click.argument("old")
@click.argument("new")
@pass_state
def tag_rename(state: State, old: str, new: str) -> None:
    """Rename tag OLD to NEW on every item (an item with both keeps one)."""
    with _clear_errors():
        changed = TagIndex(state.context().store).rename(old, new)
    click.echo(f"#{normalise_tag(old)} -> #{normalise_tag(new)} on {_items(changed)}")


@tag.command("merge")
@click.argument("tags", nargs=-1, required=True)
@click.option("--into", "into", required=True, metavar="TAG", help="The tag they become.")
@pass_state
def tag_merge(state: State, tags: tuple[str, ...], into: str) -> None:
    """Merge TAGS into one tag (--into) on every item."""
    with _clear_errors():
        changed = TagIndex(state.context().store).merge(tags, into=into)
    merged = _hashtags([normalise_tag(name) for name in tags])
    click.echo(f"{merged} -> #{normalise_tag(into)} on {_items(changed)}")


@click.command()
@click.argument("tags", nargs=-1)
@click.option("--not", "none_of", multiple=True, metavar="TAG", help="Leave out items with TAG.")
@click.option("--json", "as_json", is_flag=True, help="kind, id, name, at, tags of each item.")
@pass_state
def find(state: State, tags: tuple[str, ...], none_of: tuple[str, ...], as_json: bool) -> None:
    """The items having every TAG and none of --not, newest first (no TAG: every tagged item)."""
    with _clear_errors():
        found = TagIndex(state.context().store).items(tags, none_of)
    if as_json:
        rows = [
            {
                "kind": _kind(item),
                "id": item.id,
                "name": item.name,
                "at": item.at,
                "tags": item.tags,
            }
            for item in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not found:
        click.echo(
            "no items "
            + (
                f"tagged {_hashtags([normalise_tag(name) for name in tags])}"
                if tags
                else "with tags"
            )
        )
        return
    kind_width = max(len(_kind(item)) for item in found)
    name_width = max(len(item.name) for item in found)
    for item in found:
        click.echo(
            f"{_kind(item):<{kind_width}}  {item.name:<{name_width}}  "
            f"{_date(item.at, '%Y-%m-%d %H:%M')}  {_hashtags(item.tags)}"
        )


def _kind(item: TaggedItem) -> str:
    """The kind as the shell names it (`bounce`), as KIND:REF takes it."""
    return item.kind.removesuffix("s")


def _hashtags(tags: tuple[str, ...] | list[str]) -> str:
    return " ".join(f"#{name}" for name in tags)


def _items(count: int) -> str:
    return f"{count} item" + ("" if count == 1 else "s")


def _date(at: float, pattern: str = "%Y-%m-%d") -> str:
    return time.strftime(pattern, time.localtime(at)) if at else "-"
