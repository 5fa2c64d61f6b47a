"""The `Catalogue`: what the API lists, as JSON-ready items, cached per kind.

Each kind is read from the Store once per `Store.revision` of it (samples: of the library
and of `sample_tags`) into a `Snapshot` of `Entry`s, with the sort orders made on first
use; a listing filters an order and slices a page. Every method is blocking (it reads the
Store) and thread-safe: the server calls them on the event loop's thread pool.

An item is the record with `kind`, `name` (as lists show it), `date`, `tags`, `url` and
`audio` (its file's URL, or None) set.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phase_tui.api.errors import NotFound
from phase_tui.api.params import ListQuery, normalise_key
from phase_tui.store import Record, Store
from phase_tui.tags import SAMPLE_TAGS, TAGGED_KINDS, TaggedItem, kind_items

KINDS: tuple[str, ...] = TAGGED_KINDS
AUDIO_KINDS = frozenset({"samples", "bounces", "memos", "slices"})
"""The kinds whose records name an audio file."""

Item = dict[str, Any]


@dataclass(frozen=True)
class Entry:
    """One item and what listings filter and sort it by."""

    item: Item
    words: str  # the name, casefolded
    tags: frozenset[str]
    at: float
    duration: float | None

    def number(self, name: str) -> float | None:
        """A numeric field of the record, or None."""
        value = self.item.get(name)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if is_number else None


@dataclass
class Snapshot:
    """The entries of one kind at one Store revision, and their sort orders."""

    revision: tuple[Any, ...]
    entries: list[Entry]
    by_id: dict[str, Entry]
    tagged: list[Entry]
    _orders: dict[tuple[str, bool], list[Entry]] = field(default_factory=dict)

    def ordered(self, sort: str, descending: bool) -> list[Entry]:
        """The entries by `sort`; those without a duration last in either order."""
        key = (sort, descending)
        if key not in self._orders:  # two threads may both build it: the same list
            self._orders[key] = in_order(self.entries, sort, descending)
        return self._orders[key]


def in_order(entries: Iterable[Entry], sort: str, descending: bool) -> list[Entry]:
    """`entries` by `sort` (ties by name); those without a duration last in either order."""
    by_name = sorted(entries, key=lambda e: (e.words, e.item["kind"], e.item["id"]))
    if sort == "name":
        return by_name[::-1] if descending else by_name
    if sort == "date":
        return sorted(by_name, key=lambda e: e.at, reverse=descending)
    known = [entry for entry in by_name if entry.duration is not None]
    unknown = [entry for entry in by_name if entry.duration is None]
    return [*sorted(known, key=lambda e: e.duration or 0.0, reverse=descending), *unknown]


@dataclass(frozen=True)
class Page:
    """One page of a listing: how many items match in all, and this page's items."""

    total: int
    items: list[Item]


class Catalogue:
    """The items of a studio's Store for the API (see the module docstring)."""

    def __init__(self, store: Store, root: Path) -> None:
        """Items of `store`; relative file paths of records are inside the studio `root`."""
        self.store = store
        self.root = root
        self._lock = threading.Lock()
        self._snapshots: dict[str, Snapshot] = {}

    # ----------------------------------------------------------------- listings
    def page(self, kind: str, query: ListQuery) -> Page:
        """One page of the items of `kind` that match `query`."""
        return _paged(self.snapshot(kind).ordered(query.sort, query.descending), query)

    def item(self, kind: str, item_id: str) -> Item:
        """One item; NotFound when `kind` has no item `item_id`."""
        entry = self.snapshot(kind).by_id.get(item_id)
        if entry is None:
            raise NotFound(f"no {_singular(kind)} with id {item_id}")
        return entry.item

    def tag_counts(self, query: ListQuery) -> Page:
        """One page of the tags in use (with `q`'s words), each with how many items carry it."""
        counted = Counter(tag for entry in self._tagged() for tag in entry.tags)
        rows = [
            {"tag": tag, "count": count, "url": f"/api/tags/{tag}"}
            for tag, count in sorted(counted.items())
            if all(word in tag for word in query.words)
        ]
        if query.sort == "count":
            rows.sort(key=lambda row: row["count"], reverse=query.descending)
        elif query.descending:
            rows.reverse()
        return Page(len(rows), rows[query.start : query.start + query.per_page])

    def tag_items(self, tag: str, query: ListQuery) -> Page:
        """One page of the items of every kind carrying `tag` (and `query`'s tags); NotFound
        when no item carries it."""
        carrying = [entry for entry in self._tagged() if tag in entry.tags]
        if not carrying:
            raise NotFound(f"no item carries the tag #{tag}")
        return _paged(in_order(carrying, query.sort, query.descending), query)

    # ----------------------------------------------------------------- audio
    def audio_file(self, kind: str, item_id: str) -> Path:
        """The file the record names; NotFound when the kind has no audio, the record does
        not exist or names no file, or the file is gone. Nothing else is ever returned."""
        if kind not in AUDIO_KINDS:
            raise NotFound(f"{kind} have no audio (audio: {', '.join(sorted(AUDIO_KINDS))})")
        record = self.store.get(kind, item_id)
        if record is None:
            raise NotFound(f"no {_singular(kind)} with id {item_id}")
        stored = record.get("path")
        if not isinstance(stored, str) or not stored:
            raise NotFound(f"{_singular(kind)} {item_id} names no file")
        path = self.root / stored
        if not path.is_file():
            raise NotFound(f"the file of {_singular(kind)} {item_id} is missing: {stored}")
        return path

    # ----------------------------------------------------------------- snapshots
    def snapshot(self, kind: str) -> Snapshot:
        """The entries of `kind` as the Store holds them now (re-read when it changed)."""
        if kind not in KINDS:
            raise NotFound(f"no kind {kind!r} (kinds: {', '.join(KINDS)})")
        with self._lock:
            revision = (
                *self.store.revision(kind),
                *(self.store.revision(SAMPLE_TAGS) if kind == "samples" else ()),
            )
            known = self._snapshots.get(kind)
            if known is None or known.revision != revision:
                known = self._read(kind, revision)
                self._snapshots[kind] = known
            return known

    def _read(self, kind: str, revision: tuple[Any, ...]) -> Snapshot:
        records = {str(record["id"]): record for record in self.store.all(kind)}
        entries = [
            _entry(shown, records[shown.id])
            for shown in kind_items(self.store, kind)
            if shown.id in records  # a record written between the two reads waits
        ]
        return Snapshot(
            revision,
            entries,
            {str(entry.item["id"]): entry for entry in entries},
            [entry for entry in entries if entry.tags],
        )

    def _tagged(self) -> list[Entry]:
        return [entry for kind in KINDS for entry in self.snapshot(kind).tagged]


def _entry(shown: TaggedItem, record: Record) -> Entry:
    url = f"/api/{shown.kind}/{shown.id}"
    item = {
        **record,
        "id": shown.id,
        "kind": shown.kind,
        "name": shown.name,
        "date": shown.at,
        "tags": list(shown.tags),
        "url": url,
        "audio": f"{url}/audio" if shown.kind in AUDIO_KINDS and record.get("path") else None,
    }
    duration = record.get("duration_s")
    valid = isinstance(duration, int | float) and not isinstance(duration, bool)
    return Entry(
        item,
        shown.name.casefold(),
        frozenset(shown.tags),
        shown.at,
        float(duration) if valid else None,
    )


def _matcher(query: ListQuery) -> Callable[[Entry], bool]:
    """Whether an entry passes every filter of `query`."""
    wanted = frozenset(query.tags)
    crate = query.crate.casefold() if query.crate is not None else None

    def within(value: float | None, low: float | None, high: float | None) -> bool:
        if low is None and high is None:
            return True
        return (
            value is not None and (low is None or value >= low) and (high is None or value <= high)
        )

    def matches(entry: Entry) -> bool:
        item = entry.item
        return (
            wanted <= entry.tags
            and all(word in entry.words for word in query.words)
            and (crate is None or str(item.get("crate") or "").casefold() == crate)
            and (query.key is None or normalise_key(str(item.get("key") or "")) == query.key)
            and within(entry.duration, query.min_s, query.max_s)
            and within(entry.number("bpm"), query.bpm_min, query.bpm_max)
        )

    return matches


def _paged(ordered: list[Entry], query: ListQuery) -> Page:
    """The page of `query` of the entries in `ordered` that pass its filters."""
    end = query.start + query.per_page
    if not query.filtered:
        return Page(len(ordered), [entry.item for entry in ordered[query.start : end]])
    items, total = [], 0
    for entry in filter(_matcher(query), ordered):
        if query.start <= total < end:
            items.append(entry.item)
        total += 1
    return Page(total, items)


def _singular(kind: str) -> str:
    return kind.removesuffix("s")
